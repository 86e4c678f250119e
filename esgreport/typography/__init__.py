"""Text rules of each script: Chinese conversion and typography, number and date formats."""
