/**
 * Where object sizes come from: a file (one size a line, CSV with a size column, or JSON) or a
 * synthetic distribution (`uniform:A-B`, `normal:MU,SIGMA`, seeded). Every size is a compressed
 * page length, 1..PAGE_SIZE bytes; anything else is bad input, reported in one line naming where.
 */
import { seededRandom } from './stream.js';

export class DensityInputError extends Error {
  override readonly name = 'DensityInputError';
}

function checkSize(v: number, pageSize: number, where: string, raw: string): number {
  if (!Number.isInteger(v) || v < 1 || v > pageSize) {
    throw new DensityInputError(`${where}: '${raw}' is not a size (an integer 1..${pageSize}, the page size)`);
  }
  return v;
}

/** Parses a sizes file's text. `name` is the file name used in error messages. */
export function parseSizes(text: string, name: string, pageSize: number): number[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new DensityInputError(`${name}: no sizes in the file`);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJsonSizes(trimmed, name, pageSize);
  const lines = text.split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const csv = first.includes(',');
  let column = 0;
  let start = 0;
  if (csv) {
    const header = first.split(',').map((h) => h.trim().toLowerCase());
    if (header.some((h) => !/^[0-9]+$/.test(h))) {
      column = header.findIndex((h) => /^(size|bytes|compressed|comp_len|compressed_size|len|length)$/.test(h));
      if (column < 0) throw new DensityInputError(`${name}: CSV header has no size column (name one 'size', 'bytes' or 'compressed'): ${first.trim()}`);
      start = lines.indexOf(first) + 1;
    }
  }
  const out: number[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cell = csv ? (line.split(',')[column] ?? '').trim() : line;
    if (!/^[0-9]+$/.test(cell)) throw new DensityInputError(`${name}:${i + 1}: '${cell}' is not a size (an integer 1..${pageSize}, the page size)`);
    out.push(checkSize(Number(cell), pageSize, `${name}:${i + 1}`, cell));
  }
  if (out.length === 0) throw new DensityInputError(`${name}: no sizes in the file`);
  return out;
}

function parseJsonSizes(text: string, name: string, pageSize: number): number[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new DensityInputError(`${name}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const arr = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { sizes?: unknown }).sizes) ? (v as { sizes: unknown[] }).sizes : undefined;
  if (!arr) throw new DensityInputError(`${name}: JSON must be an array of sizes or an object with a "sizes" array`);
  if (arr.length === 0) throw new DensityInputError(`${name}: no sizes in the file`);
  return arr.map((x, i) => {
    if (typeof x !== 'number') throw new DensityInputError(`${name}: sizes[${i}] is ${JSON.stringify(x)}, not a number`);
    return checkSize(x, pageSize, `${name}: sizes[${i}]`, String(x));
  });
}

export function isSyntheticSpec(s: string): boolean {
  return /^(uniform|normal):/.test(s);
}

/**
 * `uniform:A-B` (every integer size in A..B equally likely) or `normal:MU,SIGMA` (rounded, clamped to
 * 1..PAGE_SIZE), `count` sizes from `seed`.
 */
export function syntheticSizes(spec: string, count: number, seed: number, pageSize: number): number[] {
  const rnd = seededRandom(seed);
  const u = /^uniform:([0-9]+)-([0-9]+)$/.exec(spec);
  if (u) {
    const a = Number(u[1]);
    const b = Number(u[2]);
    if (a < 1 || b > pageSize || a > b) throw new DensityInputError(`${spec}: need 1 <= A <= B <= ${pageSize} (the page size)`);
    return Array.from({ length: count }, () => a + Math.floor(rnd() * (b - a + 1)));
  }
  const n = /^normal:([0-9]+(?:\.[0-9]+)?),([0-9]+(?:\.[0-9]+)?)$/.exec(spec);
  if (n) {
    const mu = Number(n[1]);
    const sigma = Number(n[2]);
    if (mu < 1 || mu > pageSize) throw new DensityInputError(`${spec}: MU must be within 1..${pageSize} (the page size)`);
    return Array.from({ length: count }, () => {
      // Box-Muller on two draws of the seeded generator.
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      return Math.min(pageSize, Math.max(1, Math.round(mu + sigma * z)));
    });
  }
  throw new DensityInputError(`'${spec}' is not a distribution: use uniform:A-B or normal:MU,SIGMA`);
}
