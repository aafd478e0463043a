import type { WalkedTrace } from './walk.js';

/**
 * A counterexample as one self-contained HTML page (inline CSS, script and data; it loads
 * nothing): one swimlane per thread, steps in order down the page, the locks each thread holds
 * as bars in its lane, the state diff of the selected step beside it, the broken invariant in
 * red. Arrow keys or j/k move between steps.
 */
export function renderTraceHtml(w: WalkedTrace): string {
  // `<` escaped so that no string in the data can close the script element.
  const data = JSON.stringify(w).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(w.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1 id="title">${escapeHtml(w.title)}</h1>
<p class="help">Click a step, or use ↑/↓ (k/j) to move. The coloured bar in a lane: locks that thread holds after the step.</p></header>
<div id="broken" class="broken" hidden></div>
<main>
<section id="lanes-wrap"><table id="lanes"><thead><tr id="lane-heads"><th class="num">#</th></tr></thead><tbody id="steps"></tbody></table></section>
<aside id="details"><h2 id="detail-title">Initial state</h2><div id="detail-body"></div></aside>
</main>
<script type="application/json" id="trace-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root { --bg:#fff; --fg:#1d1d1f; --muted:#6b6b70; --line:#d9d9de; --sel:#fff3c4; --bad:#c62828; --badbg:#fdecea; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, sans-serif; color:var(--fg); background:var(--bg); }
header { padding:12px 20px 4px; }
h1 { font-size:18px; margin:0 0 4px; }
.help { margin:0; color:var(--muted); font-size:12px; }
.broken { margin:8px 20px; padding:10px 14px; border:2px solid var(--bad); background:var(--badbg); border-radius:6px; }
.broken .inv { font-weight:700; color:var(--bad); font-family:ui-monospace, monospace; }
.broken .desc { color:var(--fg); margin-top:4px; }
main { display:flex; gap:16px; padding:8px 20px 20px; align-items:flex-start; }
#lanes-wrap { flex:1 1 auto; overflow:auto; max-height:calc(100vh - 160px); }
table#lanes { border-collapse:collapse; min-width:100%; }
#lanes th { position:sticky; top:0; background:#f5f5f7; border-bottom:2px solid var(--line); padding:6px 10px; text-align:left; font-family:ui-monospace, monospace; z-index:1; }
#lanes td { border-bottom:1px solid var(--line); padding:0; vertical-align:top; position:relative; min-width:180px; }
#lanes td.num { min-width:40px; padding:6px 8px; color:var(--muted); text-align:right; font-family:ui-monospace, monospace; }
tr.step { cursor:pointer; }
tr.step:hover td { background:#fafafa; }
tr.step.selected td { background:var(--sel); }
tr.step.breaks td.num { color:var(--bad); font-weight:700; }
tr.step.loop td.num { color:#a60; }
tr.step.loop-start td { border-top:2px dashed #a60; }
.act { margin:4px 8px 4px 14px; padding:4px 8px; border-radius:4px; font-family:ui-monospace, monospace; font-size:13px; border-left:4px solid var(--lane); background:color-mix(in srgb, var(--lane) 12%, white); }
tr.step.breaks .act { outline:2px solid var(--bad); }
.lockbar { position:absolute; left:4px; top:0; bottom:0; width:6px; background:var(--lane); opacity:.75; border-radius:2px; }
.locknames { display:block; margin:0 8px 4px 14px; font-size:11px; color:var(--muted); font-family:ui-monospace, monospace; }
aside#details { flex:0 0 360px; position:sticky; top:8px; border:1px solid var(--line); border-radius:6px; padding:10px 14px; }
aside h2 { font-size:15px; margin:0 0 8px; font-family:ui-monospace, monospace; }
aside table { border-collapse:collapse; width:100%; font-family:ui-monospace, monospace; font-size:12px; }
aside td, aside th { text-align:left; padding:2px 6px; border-bottom:1px solid var(--line); }
aside .none { color:var(--muted); }
`;

const SCRIPT = `
(function () {
  var w = JSON.parse(document.getElementById('trace-data').textContent);
  var colours = ['#0277bd', '#8e24aa', '#2e7d32', '#ef6c00', '#00838f', '#6d4c41', '#c2185b', '#455a64'];
  function lane(t) { return colours[t % colours.length]; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  var heads = document.getElementById('lane-heads');
  w.threads.forEach(function (name, t) { var th = el('th', 'lane-head', name); th.style.color = lane(t); th.dataset.thread = t; heads.appendChild(th); });
  var body = document.getElementById('steps');
  var rows = [];
  var before = w.initialLocks;
  w.steps.forEach(function (s, i) {
    var tr = el('tr', 'step'); tr.dataset.step = s.number; tr.tabIndex = -1;
    if (w.broken && w.broken.step === s.number) tr.classList.add('breaks');
    var inLoop = w.loop !== undefined && s.number > w.loop;
    if (inLoop) tr.classList.add('loop');
    if (inLoop && s.number === w.loop + 1) { tr.classList.add('loop-start'); tr.title = 'the loop: from here to the last step, repeated for ever'; }
    tr.appendChild(el('td', 'num', (inLoop && s.number === w.loop + 1 ? '↻ ' : '') + String(s.number)));
    w.threads.forEach(function (_, t) {
      var td = el('td', 'lane'); td.style.setProperty('--lane', lane(t));
      var locks = s.locks[t];
      if (locks.length > 0) { var bar = el('div', 'lockbar'); bar.title = locks.join(', '); td.appendChild(bar); }
      if (t === s.thread) td.appendChild(el('div', 'act', s.label + (s.choice ? '#' + s.choice : '')));
      var prev = (i === 0 ? before : w.steps[i - 1].locks)[t];
      if (locks.join() !== prev.join()) td.appendChild(el('span', 'locknames', locks.length ? 'locks: ' + locks.join(', ') : 'no locks'));
      tr.appendChild(td);
    });
    tr.addEventListener('click', function () { select(i); });
    body.appendChild(tr); rows.push(tr);
  });
  if (w.broken) {
    var b = document.getElementById('broken'); b.hidden = false;
    var where = w.broken.step === 0 ? 'in the initial state' : 'at step ' + w.broken.step;
    var head = el('div'); head.appendChild(el('span', 'inv', w.broken.kind === 'deadlock' ? 'deadlock' : w.broken.invariant));
    head.appendChild(document.createTextNode(' broken ' + where + ': ' + w.broken.message));
    b.appendChild(head);
    if (w.broken.description) b.appendChild(el('div', 'desc', w.broken.description));
  }
  var current = -1;
  function select(i) {
    if (rows.length === 0) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) rows[current].classList.remove('selected');
    current = i; rows[i].classList.add('selected');
    rows[i].scrollIntoView({ block: 'nearest' });
    var s = w.steps[i];
    document.getElementById('detail-title').textContent = 'Step ' + s.number + ': ' + w.threads[s.thread] + ' ' + s.label + (s.choice ? '#' + s.choice : '');
    var d = document.getElementById('detail-body'); d.textContent = '';
    d.appendChild(el('h3', '', 'Changed fields'));
    if (s.changes.length === 0) d.appendChild(el('p', 'none', 'nothing changed'));
    else {
      var t = el('table', 'diff'); var h = el('tr'); ['field', 'before', 'after'].forEach(function (x) { h.appendChild(el('th', '', x)); }); t.appendChild(h);
      s.changes.forEach(function (c) { var r = el('tr'); r.appendChild(el('td', 'field', c.field)); r.appendChild(el('td', '', String(c.from))); r.appendChild(el('td', '', String(c.to))); t.appendChild(r); });
      d.appendChild(t);
    }
    d.appendChild(el('h3', '', 'Locks held after the step'));
    var lt = el('table', 'locks');
    w.threads.forEach(function (name, t) { var r = el('tr'); r.appendChild(el('td', '', name)); r.appendChild(el('td', s.locks[t].length ? '' : 'none', s.locks[t].join(', ') || 'none')); lt.appendChild(r); });
    d.appendChild(lt);
    if (w.broken && w.broken.step === s.number) { var p = el('p', 'inv-here', '✗ ' + w.broken.invariant + ': ' + w.broken.message); p.style.color = 'var(--bad)'; d.appendChild(p); }
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'j') { select(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'k') { select(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { select(0); e.preventDefault(); }
    else if (e.key === 'End') { select(rows.length - 1); e.preventDefault(); }
  });
  select(0);
})();
`;
