/* The view side of the MCP Apps protocol: JSON-RPC 2.0 over postMessage with the host. */
const Bridge = (() => {
  const PROTOCOL_VERSION = "2026-01-26";
  const TIMEOUT_MS = 60000;
  const pending = new Map();
  const handlers = new Map();
  let nextId = 1;

  function post(message) {
    window.parent.postMessage({ jsonrpc: "2.0", ...message }, "*");
  }

  function request(method, params) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the host did not answer ${method}`));
      }, TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      post({ id, method, params });
    });
  }

  function settle(message) {
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.error) entry.reject(new Error(message.error.message || "the host refused"));
    else entry.resolve(message.result || {});
  }

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (event.source !== window.parent || !message || message.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      settle(message);
      return;
    }
    const handler = handlers.get(message.method);
    let result = {};
    try {
      result = (handler && handler(message.params || {})) || {};
    } catch (error) {
      console.error(error);
    }
    if (message.id !== undefined) post({ id: message.id, result });
  });

  /** Tell the host how much room the view needs whenever its size changes. */
  function reportSize() {
    let last = "";
    new ResizeObserver(() => {
      const box = document.documentElement;
      const size = { width: Math.ceil(box.scrollWidth), height: Math.ceil(box.scrollHeight) };
      const key = `${size.width}x${size.height}`;
      if (key !== last) {
        last = key;
        post({ method: "ui/notifications/size-changed", params: size });
      }
    }).observe(document.body);
  }

  return {
    on(method, handler) {
      handlers.set(method, handler);
    },
    async connect(appInfo) {
      const result = await request("ui/initialize", {
        appInfo, appCapabilities: {}, protocolVersion: PROTOCOL_VERSION,
      });
      post({ method: "ui/notifications/initialized", params: {} });
      return result;
    },
    callTool(name, args) {
      return request("tools/call", { name, arguments: args });
    },
    reportSize,
  };
})();
