/* DOM building without HTML parsing: every piece of data lands in a text node. */
const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function clear(node) {
  node.replaceChildren();
}

const num = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);

function price(value) {
  const n = num(value);
  return n === null ? "–" : `$${n.toFixed(2)}`;
}

function percent(value, signed) {
  const n = num(value);
  if (n === null) return "–";
  const sign = signed && n > 0 ? "+" : "";
  return `${sign}${n.toFixed(Math.abs(n) < 10 ? 1 : 0)}%`;
}

function errorText(result) {
  const texts = (result && Array.isArray(result.content) ? result.content : [])
    .filter((block) => block && block.type === "text").map((block) => block.text);
  return texts.join(" ") || "The tool returned an error.";
}

function notice(text, kind) {
  return el("p", { class: `notice ${kind || ""}`, role: kind === "error" ? "alert" : null, text });
}
