"""tab-mcp: a remote MCP server for Tabcorp racing and sports data."""
