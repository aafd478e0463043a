import { pictureSvg } from './picture.js';
import type { WalkedTrace } from './walk.js';

/** Lock bars and the picture's lock marks: one colour for "held", never a lane's colour. */
export const LOCK_COLOUR = '#b00020';

/**
 * A counterexample as one self-contained HTML page (inline CSS, script, data and SVG; it loads
 * nothing): one swimlane per thread, steps in order down the page, the locks each thread holds
 * as hatched bars in its lane (a legend says so), the decoded diff of the selected step beside
 * the lanes (below them on a narrow window), a picture of the pages and zspages at that step,
 * the full state on request, the broken invariant in red. It opens at the breaking step; arrow
 * keys or j/k move between steps; printing prints every step.
 */
export function renderTraceHtml(w: WalkedTrace): string {
  const pictures = w.pictures.map((p) => pictureSvg(p, LOCK_COLOUR));
  // `<` escaped so that no string in the data can close the script element.
  // The page shows decoded values only: the raw changes (with pc/ret/op) stay out of it.
  const steps = w.steps.map(({ changes: _raw, ...shown }) => shown);
  // The full state of step k is rebuilt in the page from the initial one and the decoded changes
  // of steps 1..k, so the page carries one full state, not one per step.
  const data = JSON.stringify({ ...w, steps, states: undefined, pictures: undefined, initialFull: w.states[0] ?? [], svgs: pictures }).replace(/</g, '\\u003c');
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
<p class="help">Click a step, or use ↑/↓ (k/j) to move.</p>
<p class="legend" id="legend"><span class="lockbar sample"></span> locks the lane's thread holds after the step (names in the tooltip and the panel)
<span class="act sample">function:step</span> the step a thread takes <span class="tag sample">mutated by X</span> code changed by a mutation${w.raw ? ' · raw values' : ''}</p></header>
<div id="broken" class="broken" hidden></div>
<main>
<section id="lanes-wrap"><table id="lanes"><thead><tr id="lane-heads"><th class="num">#</th></tr></thead><tbody id="steps"></tbody></table></section>
<aside id="details">
<h2 id="detail-title">Initial state</h2>
<div id="detail-body"></div>
<h3>Pages and zspages after this step</h3>
<div id="picture" class="picture"></div>
<label class="full-toggle"><input type="checkbox" id="full-state"> full state at this step</label>
<div id="full" hidden></div>
</aside>
</main>
<section id="initial" class="initial"><h2>Initial state of the objects the trace touches</h2><div id="initial-body"></div></section>
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
:root { --bg:#fff; --fg:#1d1d1f; --muted:#6b6b70; --line:#d9d9de; --sel:#fff3c4; --bad:#c62828; --badbg:#fdecea; --lock:${LOCK_COLOUR}; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, sans-serif; color:var(--fg); background:var(--bg); }
header { padding:12px 20px 4px; }
h1 { font-size:18px; margin:0 0 4px; }
h3 { font-size:13px; margin:10px 0 4px; }
.help, .legend { margin:0; color:var(--muted); font-size:12px; }
.legend .sample { display:inline-block; vertical-align:middle; margin:0 4px 0 10px; }
.lockbar.sample { position:static; height:14px; }
.act.sample { margin:0 4px 0 10px; --lane:#455a64; font-size:11px; padding:0 6px; }
.broken { margin:8px 20px; padding:10px 14px; border:2px solid var(--bad); background:var(--badbg); border-radius:6px; }
.broken .inv { font-weight:700; color:var(--bad); font-family:ui-monospace, monospace; }
.broken .desc { color:var(--fg); margin-top:4px; }
main { display:flex; gap:16px; padding:8px 20px 20px; align-items:flex-start; }
#lanes-wrap { flex:1 1 auto; min-width:0; }
table#lanes { border-collapse:collapse; width:100%; }
#lanes th { position:sticky; top:0; background:#f5f5f7; border-bottom:2px solid var(--line); padding:6px 10px; text-align:left; font-family:ui-monospace, monospace; z-index:1; }
#lanes td { border-bottom:1px solid var(--line); padding:0; vertical-align:top; position:relative; min-width:120px; }
#lanes td.num { min-width:36px; width:36px; padding:6px 8px; color:var(--muted); text-align:right; font-family:ui-monospace, monospace; }
tr.step { cursor:pointer; }
tr.step:hover td { background:#fafafa; }
tr.step.selected td { background:var(--sel); }
tr.step.breaks td.num { color:var(--bad); font-weight:700; }
tr.step.loop td.num { color:#a60; }
tr.step.loop-start td { border-top:2px dashed #a60; }
.act { margin:4px 8px 4px 16px; padding:4px 8px; border-radius:4px; font-family:ui-monospace, monospace; font-size:12px; border:1px solid var(--lane); background:color-mix(in srgb, var(--lane) 10%, white); overflow-wrap:anywhere; }
.act .branch { color:var(--muted); }
.tag { display:inline-block; margin-left:6px; padding:0 4px; border-radius:3px; background:#6a1b9a; color:#fff; font-size:10px; font-family:ui-monospace, monospace; }
tr.step.breaks .act { outline:2px solid var(--bad); }
/* A lock bar is hatched in the lock colour: it cannot be mistaken for a lane's colour. */
.lockbar { position:absolute; left:3px; top:0; bottom:0; width:8px; border-radius:2px;
  background:repeating-linear-gradient(45deg, var(--lock) 0 3px, #fff 3px 5px); border:1px solid var(--lock); }
.locknames { display:block; margin:0 8px 4px 16px; font-size:11px; color:var(--lock); font-family:ui-monospace, monospace; }
aside#details { flex:0 0 380px; position:sticky; top:8px; max-height:calc(100vh - 16px); overflow:auto; border:1px solid var(--line); border-radius:6px; padding:10px 14px; background:var(--bg); }
aside h2 { font-size:15px; margin:0 0 8px; font-family:ui-monospace, monospace; }
aside table, .initial table { border-collapse:collapse; width:100%; font-family:ui-monospace, monospace; font-size:12px; }
aside td, aside th, .initial td { text-align:left; padding:2px 6px; border-bottom:1px solid var(--line); vertical-align:top; }
aside .none { color:var(--muted); }
.picture { overflow:auto; }
.picture svg .faded text { fill:#999; }
.full-toggle { display:block; margin-top:8px; font-size:12px; }
.initial { padding:0 20px 20px; }
.initial h2 { font-size:15px; }
/* Narrow windows: the panel goes below the lanes, pinned to the bottom, so every lane stays visible. */
@media (max-width: 1000px) {
  main { flex-direction:column; }
  aside#details { flex:none; width:100%; position:sticky; top:auto; bottom:0; max-height:45vh; box-shadow:0 -2px 8px rgba(0,0,0,.12); }
  /* Scrolling a step into view keeps it above the pinned panel. */
  tr.step { scroll-margin-bottom:calc(45vh + 12px); }
}
/* Printing (or saving as PDF) prints every step: no sticky panel, no scroll area. */
@media print {
  main { display:block; }
  aside#details { position:static; max-height:none; overflow:visible; box-shadow:none; break-inside:avoid; }
  #lanes th { position:static; }
  tr.step { break-inside:avoid; }
  tr.step.selected td { background:none; }
  .help { display:none; }
}
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
      if (t === s.thread) {
        var act = el('div', 'act', s.label + (s.choice ? '#' + s.choice : ''));
        if (s.branch) act.appendChild(el('span', 'branch', ' → ' + s.branch));
        s.mutations.forEach(function (m) { act.appendChild(el('span', 'tag', 'mutated by ' + m)); });
        td.appendChild(act);
      }
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
  var ib = document.getElementById('initial-body');
  if (w.initial.length === 0) ib.appendChild(el('p', 'none', 'nothing'));
  else {
    var it = el('table', 'initial-state');
    w.initial.forEach(function (o) {
      var r = el('tr'); r.appendChild(el('td', 'object', o.object));
      r.appendChild(el('td', '', o.fields.map(function (f) { return f.member === o.object ? f.value : f.member + ' = ' + f.value; }).join('; ')));
      it.appendChild(r);
    });
    ib.appendChild(it);
  }
  var fullBox = document.getElementById('full-state');
  var current = -1;
  function showState(k) {
    document.getElementById('picture').innerHTML = w.svgs[k] || '';
    var full = document.getElementById('full'); full.textContent = ''; full.hidden = !fullBox.checked;
    if (fullBox.checked) {
      var ft = el('table', 'full-state');
      var values = {};
      w.initialFull.forEach(function (f) { values[f.field] = f.value; });
      for (var j = 0; j < k; j++) w.steps[j].shown.forEach(function (c) { values[c.field] = c.to; });
      w.initialFull.forEach(function (f) { var r = el('tr'); r.appendChild(el('td', 'field', f.field)); r.appendChild(el('td', '', values[f.field])); ft.appendChild(r); });
      full.appendChild(ft);
    }
  }
  fullBox.addEventListener('change', function () { showState(current + 1); });
  function select(i) {
    if (rows.length === 0) { showState(0); return; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) rows[current].classList.remove('selected');
    current = i; rows[i].classList.add('selected');
    rows[i].scrollIntoView({ block: 'nearest' });
    var s = w.steps[i];
    document.getElementById('detail-title').textContent = 'Step ' + s.number + ': ' + w.threads[s.thread] + ' ' + s.label + (s.choice ? '#' + s.choice : '');
    var d = document.getElementById('detail-body'); d.textContent = '';
    if (s.branch) d.appendChild(el('p', 'branch', 'branch taken: → ' + s.branch));
    if (s.mutations.length) d.appendChild(el('p', 'tagged', 'code changed by mutation ' + s.mutations.join(', ')));
    d.appendChild(el('h3', '', 'Changed fields'));
    if (s.shown.length === 0) d.appendChild(el('p', 'none', 'nothing changed'));
    else {
      var t = el('table', 'diff'); var h = el('tr'); ['field', 'before', 'after'].forEach(function (x) { h.appendChild(el('th', '', x)); }); t.appendChild(h);
      s.shown.forEach(function (c) { var r = el('tr'); r.appendChild(el('td', 'field', c.field)); r.appendChild(el('td', '', c.from)); r.appendChild(el('td', '', c.to)); t.appendChild(r); });
      d.appendChild(t);
    }
    d.appendChild(el('h3', '', 'Locks held after the step'));
    var lt = el('table', 'locks');
    w.threads.forEach(function (name, t) { var r = el('tr'); r.appendChild(el('td', '', name)); r.appendChild(el('td', s.locks[t].length ? '' : 'none', s.locks[t].join(', ') || 'none')); lt.appendChild(r); });
    d.appendChild(lt);
    if (w.broken && w.broken.step === s.number) { var p = el('p', 'inv-here', '✗ ' + w.broken.invariant + ': ' + w.broken.message); p.style.color = 'var(--bad)'; d.appendChild(p); }
    showState(i + 1);
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'j') { select(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'k') { select(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { select(0); e.preventDefault(); }
    else if (e.key === 'End') { select(rows.length - 1); e.preventDefault(); }
  });
  // Open where it breaks: that step is what the reader came for.
  var start = w.broken && w.broken.step > 0 ? w.broken.step - 1 : 0;
  select(start);
})();
`;
