/**
 * The tagging page served at `GET /`: one self-contained HTML document (inline CSS and script,
 * no fonts, images or scripts from elsewhere). It posts the text to /v1/tag and shows the text
 * with each entity highlighted in its type's colour (hover: type and score), a legend of the
 * model's types, and the JSON answer.
 *
 * Input never reaches the page as markup: the script builds the highlighted text from text
 * nodes (`textContent`, `createTextNode`), and the Content-Security-Policy allows only this
 * page's own script and style (by hash), and requests to its own origin.
 */
import { createHash } from 'node:crypto';

const STYLE = `
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --accent: #3b5bdb;
  --code-bg: #f2f4f7; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1218; --card: #171b24; --ink: #e6e9ef; --muted: #98a2b3; --line: #2a303c; --accent: #7c93f0;
    --code-bg: #11151c; --shadow: none; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 32px 20px 48px; }
header { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; flex-wrap: wrap; margin-bottom: 20px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -.01em; }
h1 span { color: var(--muted); font-weight: 400; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 12px; font-weight: 600; }
#model { color: var(--muted); font-size: 13px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow); padding: 20px; margin-bottom: 16px; }
textarea { width: 100%; min-height: 120px; resize: vertical; padding: 12px 14px; border: 1px solid var(--line); border-radius: 8px;
  background: var(--card); color: var(--ink); font: inherit; line-height: 1.5; }
textarea:focus { outline: 2px solid color-mix(in srgb, var(--accent) 35%, transparent); border-color: var(--accent); }
.row { display: flex; align-items: center; gap: 12px; margin-top: 12px; flex-wrap: wrap; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 8px; padding: 9px 22px; font: inherit; font-weight: 600; cursor: pointer; }
button:hover { filter: brightness(1.08); }
button:disabled { opacity: .6; cursor: progress; }
kbd { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 1px 5px; color: var(--muted); }
#status { color: var(--muted); font-size: 14px; }
#status.error { color: #d92d20; }
#legend { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 14px; }
.chip { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; font-weight: 600; letter-spacing: .04em;
  padding: 2px 10px 2px 8px; border-radius: 999px; background: var(--bg-ent); color: var(--fg-ent); }
.chip::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--fg-ent); }
#output { white-space: pre-wrap; word-wrap: break-word; line-height: 2.1; font-size: 17px; }
#output.empty { color: var(--muted); font-style: italic; font-size: 15px; }
mark.ent { background: var(--bg-ent); color: inherit; border-radius: 6px; padding: 3px 5px; margin: 0 1px;
  box-shadow: inset 0 -2px 0 var(--fg-ent); cursor: help; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.ent::after { content: attr(data-type); font-size: 10px; font-weight: 700; letter-spacing: .05em; color: var(--fg-ent);
  margin-left: 5px; vertical-align: 1px; }
@media (prefers-color-scheme: dark) { mark.ent { background: color-mix(in srgb, var(--fg-ent) 28%, transparent); } }
details summary { cursor: pointer; color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .06em; font-weight: 600; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 8px; padding: 14px; margin: 12px 0 0;
  max-height: 420px; overflow: auto; font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
footer { color: var(--muted); font-size: 13px; text-align: center; }
footer code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
`;

const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const FIXED = {
  PER: ["#fde4e4", "#d92d20"], ORG: ["#dde8ff", "#2d5bd3"], LOC: ["#dcf5e3", "#148a3c"], MISC: ["#fdf0d2", "#b45309"],
};
function colours(type) {
  if (FIXED[type]) return FIXED[type];
  let h = 0;
  for (const ch of type) h = (h * 31 + ch.codePointAt(0)) % 360;
  return ["hsl(" + h + " 85% 92%)", "hsl(" + h + " 65% 38%)"];
}
function paint(el, type) {
  const [bg, fg] = colours(type);
  el.style.setProperty("--bg-ent", bg);
  el.style.setProperty("--fg-ent", fg);
}
const legendTypes = new Set();
function addLegend(type) {
  if (legendTypes.has(type)) return;
  legendTypes.add(type);
  const chip = document.createElement("span");
  chip.className = "chip";
  chip.dataset.type = type;
  chip.textContent = type;
  paint(chip, type);
  $("legend").appendChild(chip);
}
function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}
/** The input with every entity wrapped in a <mark>; built from text nodes only. */
function render(text, sentences) {
  const out = $("output");
  out.replaceChildren();
  out.className = "";
  const entities = sentences.flatMap((s) => s.entities);
  let at = 0;
  for (const e of entities) {
    if (e.start < at) continue;
    out.appendChild(document.createTextNode(text.slice(at, e.start)));
    const m = document.createElement("mark");
    m.className = "ent";
    m.dataset.type = e.type;
    m.title = e.type + " \\u00b7 score " + e.score.toFixed(3);
    m.textContent = text.slice(e.start, e.end);
    paint(m, e.type);
    addLegend(e.type);
    out.appendChild(m);
    at = e.end;
  }
  out.appendChild(document.createTextNode(text.slice(at)));
  if (text.trim() === "") { out.textContent = "Nothing to tag."; out.className = "empty"; }
  return entities.length;
}
/** JSON with two-space indentation, but a small flat object (a token, an entity) on one line. */
function pretty(v, indent = "") {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const isArray = Array.isArray(v);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  const entries = isArray ? v.map((x) => [null, x]) : Object.entries(v);
  if (entries.length === 0) return open + close;
  const item = ([k, x], ind) => (k === null ? "" : JSON.stringify(k) + ": ") + pretty(x, ind);
  if (entries.every(([, x]) => x === null || typeof x !== "object")) {
    const line = open + entries.map((e) => item(e, "")).join(", ") + close;
    if (line.length <= 100) return line;
  }
  const inner = indent + "  ";
  return open + "\\n" + entries.map((e) => inner + item(e, inner)).join(",\\n") + "\\n" + indent + close;
}
async function tag() {
  const text = $("text").value;
  const button = $("tag");
  button.disabled = true;
  status("Tagging\\u2026");
  const t0 = performance.now();
  try {
    const r = await fetch("v1/tag", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
    const n = render(text, body.sentences);
    $("json").textContent = pretty(body);
    const ms = Math.round(performance.now() - t0);
    status(n + (n === 1 ? " entity" : " entities") + " in " + body.sentences.length + (body.sentences.length === 1 ? " sentence" : " sentences") + " \\u00b7 " + ms + " ms");
  } catch (e) {
    status("Error: " + e.message, true);
  } finally {
    button.disabled = false;
  }
}
async function loadModel() {
  try {
    const r = await fetch("v1/model");
    if (!r.ok) return;
    const m = await r.json();
    const types = [...new Set(m.vocabulary.tagList.filter((t) => t !== "O").map((t) => t.replace(/^[A-Z]-/, "")))].sort();
    types.forEach(addLegend);
    $("model").textContent = "model " + m.dir + " \\u00b7 " + types.length + " entity types \\u00b7 " + m.parameters.toLocaleString("en-US") + " parameters";
  } catch (e) { /* the page still works without the model's description */ }
}
$("tag").addEventListener("click", tag);
$("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); tag(); } });
loadModel();
`;

const EXAMPLE = 'Angela Merkel met Emmanuel Macron in Paris on Tuesday, and the two leaders later spoke to reporters from Reuters about the future of the European Union.';

function sha256(s: string): string {
  return `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
}

/** Only this page's own style and script, and requests to its own origin. */
export const PAGE_CSP = [
  "default-src 'none'", `script-src ${sha256(SCRIPT)}`, `style-src ${sha256(STYLE)}`, "connect-src 'self'",
  "img-src data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bilstm-ner · tag entities</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
  <header>
    <h1>bilstm-ner <span>· named entities</span></h1>
    <div id="model"></div>
  </header>
  <section class="card">
    <label for="text"><h2>Text</h2></label>
    <textarea id="text" spellcheck="false">${escapeHtml(EXAMPLE)}</textarea>
    <div class="row">
      <button id="tag" type="button">Tag</button>
      <span><kbd>Ctrl</kbd> + <kbd>Enter</kbd></span>
      <span id="status" role="status" aria-live="polite"></span>
    </div>
  </section>
  <section class="card">
    <h2>Entities</h2>
    <div id="legend" aria-label="entity types"></div>
    <div id="output" class="empty">Press Tag to find the entities in the text.</div>
  </section>
  <section class="card">
    <details open><summary>JSON</summary><pre><code id="json">{}</code></pre></details>
  </section>
  <footer>POST <code>/v1/tag</code> with <code>{"text": "..."}</code> returns this JSON.</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
