"""One module per command of `python build.py`."""
