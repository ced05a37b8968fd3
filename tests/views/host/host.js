// A minimal MCP Apps host: lists the tools as a client declaring the extension, reads the
// tool's ui:// view, calls the tool, and hands the result to the view in a sandboxed iframe.
// The view's own tools/call requests go through the same client to the real server.
import { AppBridge, Client, PostMessageTransport, StreamableHTTPClientTransport } from "./bridge.js";

const EXTENSION = "io.modelcontextprotocol/ui";
const MIME = "text/html;profile=mcp-app";
// What a host enforces for a view whose CSP domain lists are empty: nothing may be fetched.
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const state = (window.hostState = { phase: "starting", calls: [], sizes: [], error: null });
const query = new URLSearchParams(location.search);
// "light" or "dark" as a host would pass it; anything else: the host names no theme.
const theme = ["light", "dark"].includes(query.get("theme")) ? query.get("theme") : undefined;
document.body.classList.toggle("dark", theme === "dark");

async function main() {
  const client = new Client({ name: "tab-mcp-test-host", version: "1.0.0" }, {
    capabilities: { extensions: { [EXTENSION]: { mimeTypes: [MIME] } } },
  });
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", location.href)));
  window.addEventListener("pagehide", () => client.close());
  const toolName = query.get("tool");
  const args = JSON.parse(query.get("args") || "{}");
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === toolName);
  const uri = tool && tool._meta && tool._meta.ui && tool._meta.ui.resourceUri;
  if (!uri) throw new Error(`${toolName} carries no _meta.ui.resourceUri`);
  const resource = await client.readResource({ uri });
  const content = resource.contents[0];
  state.view = { uri, mimeType: content.mimeType, csp: content._meta && content._meta.ui && content._meta.ui.csp };
  if (content.mimeType !== MIME) throw new Error(`${uri} is served as ${content.mimeType}`);
  const result = await client.callTool({ name: toolName, arguments: args });

  const iframe = document.getElementById("frame");
  const bridge = new AppBridge(client, { name: "tab-mcp-test-host", version: "1.0.0" },
    { serverTools: {}, logging: {} },
    { hostContext: { theme, displayMode: "inline", platform: "web",
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, locale: navigator.language } });
  bridge.onsizechange = ({ height }) => {
    state.sizes.push(height);
    if (height) iframe.style.height = `${height + 2}px`;
  };
  bridge.oninitialized = async () => {
    state.phase = "initialized";
    await bridge.sendToolInput({ arguments: args });
    await bridge.sendToolResult(result);
    state.phase = "rendered";
  };
  await bridge.connect(new PostMessageTransport(iframe.contentWindow, iframe.contentWindow));
  // connect() installs a plain forwarder to the client; this one also records each call.
  bridge.oncalltool = async (params) => {
    state.calls.push(params);
    return client.callTool(params);
  };
  const csp = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;
  iframe.srcdoc = content.text.replace("<head>", `<head>\n${csp}`);
  state.setTheme = (next) => {
    document.body.classList.toggle("dark", next === "dark");
    bridge.setHostContext({ theme: next });
  };
}

main().catch((error) => {
  state.phase = "failed";
  state.error = String(error && error.stack || error);
});
