"""Shared by every test the suite collects (tests/, and the doctests of gradcore/ and scenes/).

Under pytest-xdist (``make test`` runs two workers), each worker gets its own temporary
folder, so the scene harness's media folder, Manim's typesetting files and every other
path under ``tempfile.gettempdir()`` are never written by two processes at once.
"""

import os
import tempfile
from pathlib import Path


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        own = Path(tempfile.gettempdir()) / f"pytest-{worker}-{os.getpid()}"
        own.mkdir(parents=True, exist_ok=True)
        os.environ["TMPDIR"] = str(own)
        tempfile.tempdir = str(own)
