"""xinfang-desk: the reception desk of a district petition office (信访接待大厅)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("xinfang-desk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"
