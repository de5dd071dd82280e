"""The frozen app's entry point: the same `main` as `kakikomi` and `python -m app`."""

import multiprocessing
import sys

from app.__main__ import main

if __name__ == "__main__":
    # The import's worker processes (app.core.library.prepare) start this executable again:
    # freeze_support() makes such a start run the worker, not a second window.
    multiprocessing.freeze_support()
    sys.exit(main())
