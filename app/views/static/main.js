/* Entry: connect to the host, follow its theme and time zone, render each tool result. */
(() => {
  const root = document.getElementById("app");
  const context = { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, timer: null };

  // The system's scheme until the host says which theme it shows.
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  let hostTheme = null;
  const applyTheme = () => {
    document.documentElement.dataset.theme = hostTheme || (systemDark.matches ? "dark" : "light");
  };
  systemDark.addEventListener("change", applyTheme);
  applyTheme();

  function applyHostContext(host) {
    if (!host) return;
    if (host.theme === "light" || host.theme === "dark") {
      hostTheme = host.theme;
      applyTheme();
    }
    if (typeof host.timeZone === "string" && host.timeZone) context.timeZone = host.timeZone;
    const variables = host.styles && host.styles.variables;
    for (const [name, value] of Object.entries(variables || {})) {
      if (name.startsWith("--") && typeof value === "string") document.documentElement.style.setProperty(name, value);
    }
  }

  function show(result) {
    const data = result && result.structuredContent;
    if (!result || result.isError) {
      clear(root);
      root.append(notice(errorText(result), "error"));
    } else if (data && Array.isArray(data.runners)) {
      renderCard(root, data, context, null);
    } else if (data && (Array.isArray(data.firming) || Array.isArray(data.drifting))) {
      renderMovers(root, data, context);
    } else {
      clear(root);
      root.append(notice("This result has nothing to show here.", "error"));
    }
  }

  Bridge.on("ui/notifications/tool-result", show);
  Bridge.on("ui/notifications/host-context-changed", applyHostContext);
  Bridge.connect({ name: `tab-mcp ${document.body.dataset.view}`, version: "1" })
    .then((init) => applyHostContext(init.hostContext))
    .catch((error) => {
      clear(root);
      root.append(notice(`Could not connect to the host: ${error.message}`, "error"));
    });
  Bridge.reportSize();
})();
