/* Small inline SVG charts: a price movement line and a diverging move bar. */

/** A runner's prices oldest first: the opening price, the flucs (newest first), the price now. */
function priceHistory(open, flucs, now) {
  const history = [];
  const push = (value) => {
    const n = num(value);
    if (n !== null && n > 0) history.push(n);
  };
  push(open);
  (Array.isArray(flucs) ? flucs.slice().reverse() : []).forEach(push);
  push(now);
  return history;
}

function movementChart(history, label) {
  const width = 84;
  const height = 24;
  const pad = 3;
  const chart = svg("svg", {
    class: "spark", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": label,
  });
  if (history.length < 2) return chart;
  const low = Math.min(...history);
  const span = Math.max(...history) - low || 1;
  const step = (width - 2 * pad) / (history.length - 1);
  const points = history.map((value, index) => [
    pad + index * step, pad + (1 - (value - low) / span) * (height - 2 * pad),
  ]);
  const trend = history[history.length - 1] < history[0] ? "firm" : history[history.length - 1] > history[0] ? "drift" : "flat";
  chart.append(
    svg("title", { text: label }),
    svg("polyline", {
      class: `line ${trend}`, fill: "none",
      points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
    }),
    svg("circle", { class: `dot ${trend}`, cx: points.at(-1)[0], cy: points.at(-1)[1], r: 2.5 }),
  );
  return chart;
}

function moveBar(movePct, largest) {
  const width = 120;
  const height = 14;
  const half = width / 2;
  const scale = Math.min(1, Math.abs(movePct) / (largest || 1));
  const length = Math.max(2, scale * (half - 2));
  const firm = movePct < 0;
  return svg("svg", { class: "bar", viewBox: `0 0 ${width} ${height}`, width, height, "aria-hidden": "true" },
    svg("line", { class: "axis", x1: half, x2: half, y1: 0, y2: height }),
    svg("rect", {
      class: firm ? "firm" : "drift", y: 2, height: height - 4, rx: 2, width: length,
      x: firm ? half - length : half,
    }));
}
