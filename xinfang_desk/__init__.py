"""xinfang-desk: the reception desk of a district petition office (信访接待大厅)."""

# The one version source: pyproject.toml reads it from here ([tool.setuptools.dynamic]); a constant keeps
# importlib.metadata off the path to the log-in window.
__version__ = "0.1.0"
