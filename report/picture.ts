import type { Field, StateVector, TransitionSystem } from '../explorer/index.js';
import { decodeValue, memberOf, objectOf } from './values.js';

/**
 * A small picture of one state: the objects other objects point at (pages, zspages, handles),
 * one row per kind of object, arrows for the references between them (which page belongs to
 * which zspage, where a handle's object lives), who holds a lock on each, and the fields the
 * model marks for the picture (refcounts, inuse, fullness). Built only from the fields' declared
 * kinds, so it needs no knowledge of the model.
 */
export interface PictureBox {
  readonly id: string;
  /** Freed (a descriptor back in its cache, a page back in the buddy allocator). */
  readonly faded: boolean;
  readonly lines: readonly string[];
  /** Threads holding a lock on the object. */
  readonly lockedBy: readonly string[];
}

export interface PictureArrow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface Picture {
  readonly rows: readonly { readonly type: string; readonly boxes: readonly PictureBox[] }[];
  readonly arrows: readonly PictureArrow[];
}

function typeOf(object: string): string | undefined {
  const b = object.indexOf('[');
  return b > 0 ? object.slice(0, b) : undefined;
}

export function statePicture(system: TransitionSystem, s: StateVector): Picture {
  const ctx = { threads: system.threads, labels: system.labels };
  const threadSet = new Set(system.threads);
  const targets = new Set(system.fields.flatMap((f) => (f.kind?.kind === 'ref' ? [f.kind.of] : [])));
  const pictured = new Set(system.fields.filter((f) => f.kind?.picture !== undefined).map((f) => typeOf(objectOf(f.name))));
  const types = [...targets].filter((t) => pictured.has(t));
  const boxes = new Map<string, { type: string; faded: boolean; lines: string[]; lockedBy: Set<string>; refs: { f: Field; v: number }[] }>();
  system.fields.forEach((f, i) => {
    const o = objectOf(f.name);
    const type = typeOf(o);
    if (type === undefined || threadSet.has(o) || !types.includes(type)) return;
    if (!boxes.has(o)) boxes.set(o, { type, faded: false, lines: [], lockedBy: new Set(), refs: [] });
    const b = boxes.get(o)!;
    const v = s[i];
    const k = f.kind;
    if (!k) return;
    if (k.picture === 'alive' && v === 0) b.faded = true;
    if (k.picture === 'free' && v !== 0) b.faded = true;
    if (k.picture === 'show') b.lines.push(`${memberOf(f.name)} ${decodeValue(f, v, ctx)}`);
    if (k.kind === 'owner' && v > 0) b.lockedBy.add(system.threads[v - 1] ?? `thread ${v - 1}`);
    if (k.kind === 'threadSet') system.threads.forEach((t, ti) => { if (v & (1 << ti)) b.lockedBy.add(t); });
    if (k.kind === 'ref' && types.includes(k.of) && k.sentinels?.[v] === undefined) b.refs.push({ f, v });
  });
  const arrows: PictureArrow[] = [];
  for (const [id, b] of boxes) {
    if (b.faded) continue;
    for (const { f, v } of b.refs) {
      const k = f.kind!;
      if (k.kind !== 'ref') continue;
      const x = v - (k.offset ?? 0);
      const i = k.span !== undefined ? Math.floor(x / k.span) : x;
      const to = `${k.of}[${k.names?.[i] ?? i}]`;
      if (!boxes.has(to)) continue;
      arrows.push({ from: id, to, label: k.span !== undefined ? `${memberOf(f.name)} ${k.slot ?? 'slot'} ${x % k.span}` : memberOf(f.name) });
    }
  }
  return {
    rows: types.map((type) => ({
      type,
      boxes: [...boxes].filter(([, b]) => b.type === type).map(([id, b]) => ({ id, faded: b.faded, lines: b.lines, lockedBy: [...b.lockedBy] })),
    })),
    arrows,
  };
}

const BOX_W = 150;
const GAP_X = 24;
const GAP_Y = 56;
const LINE_H = 14;

/** The picture as inline SVG (no external resources). Lock markers use the lock colour of the
 *  HTML view's legend, never a lane colour. */
export function pictureSvg(p: Picture, lockColour: string): string {
  const maxLines = Math.max(1, ...p.rows.flatMap((r) => r.boxes.map((b) => b.lines.length + (b.lockedBy.length > 0 ? 1 : 0))));
  const boxH = 22 + maxLines * LINE_H;
  const pos = new Map<string, { x: number; y: number }>();
  const parts: string[] = [];
  let width = 0;
  p.rows.forEach((r, ri) => {
    const y = 8 + ri * (boxH + GAP_Y);
    parts.push(`<text x="4" y="${y - 2 + boxH / 2}" class="pic-type">${esc(r.type)}</text>`);
    r.boxes.forEach((b, bi) => {
      const x = 70 + bi * (BOX_W + GAP_X);
      width = Math.max(width, x + BOX_W + 8);
      pos.set(b.id, { x, y });
      const locked = b.lockedBy.length > 0;
      parts.push(`<g class="pic-box${b.faded ? ' faded' : ''}${locked ? ' locked' : ''}" data-id="${esc(b.id)}">`
        + `<rect x="${x}" y="${y}" width="${BOX_W}" height="${boxH}" rx="4" fill="${b.faded ? '#f3f3f3' : '#fff'}" stroke="${locked ? lockColour : b.faded ? '#aaa' : '#555'}" stroke-width="${locked ? 3 : 1}"${b.faded ? ' stroke-dasharray="4 3"' : ''}/>`
        + `<text x="${x + 6}" y="${y + 15}" font-weight="700">${esc(b.id)}${b.faded ? ' (free)' : ''}</text>`
        + b.lines.map((l, li) => `<text x="${x + 6}" y="${y + 15 + (li + 1) * LINE_H}">${esc(l)}</text>`).join('')
        + (locked ? `<text x="${x + 6}" y="${y + 15 + (b.lines.length + 1) * LINE_H}" fill="${lockColour}">locked: ${esc(b.lockedBy.join(', '))}</text>` : '')
        + '</g>');
    });
  });
  for (const a of p.arrows) {
    const f = pos.get(a.from);
    const t = pos.get(a.to);
    if (!f || !t) continue;
    const down = t.y > f.y;
    const x1 = f.x + BOX_W / 2;
    const y1 = down ? f.y + boxH : t.y === f.y ? f.y + boxH : f.y;
    const x2 = t.x + BOX_W / 2;
    const y2 = down ? t.y : t.y === f.y ? t.y + boxH : t.y + boxH;
    parts.push(`<g class="pic-arrow" data-from="${esc(a.from)}" data-to="${esc(a.to)}"><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#888" marker-end="url(#pic-head)"/>`
      + `<title>${esc(`${a.from}.${a.label} → ${a.to}`)}</title></g>`);
  }
  const height = 16 + p.rows.length * (boxH + GAP_Y);
  return `<svg class="state-picture" width="${Math.max(width, 200)}" height="${height}" font-family="ui-monospace, monospace" font-size="11">`
    + '<defs><marker id="pic-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>'
    + parts.join('') + '</svg>';
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
