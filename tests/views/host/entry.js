// The host side of MCP Apps, as a chat client embeds it: the ext-apps AppBridge with its
// postMessage transport, and the official MCP client that talks to the server.
export { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";
export { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
