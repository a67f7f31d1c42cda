import os

# Headless, deterministic scene tests: never open a preview window.
os.environ.setdefault("MPLBACKEND", "Agg")
