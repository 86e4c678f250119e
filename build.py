#!/usr/bin/env python3
"""Build the ESG report. Run `python build.py --help` for the options."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

# After `make setup`, `python build.py` works from any Python: it hands over to the project's venv.
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() \
        and not os.environ.get("ESGREPORT_NO_VENV"):
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])

sys.path.insert(0, str(ROOT))

from esgreport.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(root=ROOT))
