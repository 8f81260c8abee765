"""Project tools run from the repository root (``python tools/<name>.py``); importable from tests."""
