"""The shapes of the input files and of the prepared report, and the reading of files with their lines."""
