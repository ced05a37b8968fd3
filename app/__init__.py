"""tab-mcp: a remote MCP server for Tabcorp racing and sports data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tab-mcp")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
