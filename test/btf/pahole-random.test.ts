/**
 * Differential test on structs nobody wrote by hand: the random struct generator of the gcc
 * differential test (bitfields of every integer type, packed and aligned members and structs,
 * nested and anonymous structs and unions, arrays, enums, flexible arrays) is compiled by gcc -g,
 * pahole encodes the objects' DWARF as BTF, and every struct's table from our printer must be
 * what pahole itself prints from that BTF. A fresh seed each run; PAHOLE_SEED replays one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Btf, PaholePrinter } from '../../model/btf/index.js';
import { ENUMS_C, emitStruct, structArb } from '../layout/random-structs.js';
import { runPahole } from './pahole.js';
import { GCC, missing, PAHOLE } from '../tools.js';

const scratch = mkdtempSync(join(tmpdir(), 'pahole-random-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let cur: string[] | null = null;
  for (const line of text.split('\n')) {
    if (!cur) {
      if (/^(struct|union) \S+ \{$/.test(line)) cur = [line];
    } else {
      cur.push(line);
      if (/^\}.*;$/.test(line)) {
        out.set(cur[0]!.replace(/ \{$/, ''), cur.join('\n'));
        cur = null;
      }
    }
  }
  return out;
}

describe.skipIf(missing(GCC, PAHOLE))('pahole printer against pahole on random structs encoded by pahole', () => {
  it.each([0, 1])('batch %i: every struct pahole prints from the BTF, we print identically', (batch) => {
    const seed = process.env.PAHOLE_SEED ? Number(process.env.PAHOLE_SEED) : (Date.now() ^ (batch * 7919)) >>> 0;
    const recs = fc.sample(structArb, { numRuns: 60, seed });
    // BTF has no complex types (pahole cannot encode them): those members become their real type.
    const defs = recs.map((r, i) => emitStruct(r, `s${i}`).c.replace(/ _Complex\b/g, ''));
    const src = `${ENUMS_C}struct opaque;\n${defs.join('\n')}\n${recs.map((_, i) => `struct s${i} v${i};`).join('\n')}\n`;
    const c = join(scratch, `r${batch}.c`);
    const o = join(scratch, `r${batch}.o`);
    const btfFile = join(scratch, `r${batch}.btf`);
    writeFileSync(c, src);
    execFileSync('gcc', ['-g', '-c', '-O0', '-w', '-o', o, c], { stdio: 'pipe' });
    execFileSync('pahole', [`--btf_encode_detached=${btfFile}`, o], { stdio: 'pipe' });
    const theirs = blocks(runPahole(['-F', 'btf', btfFile]));
    const btf = Btf.load(btfFile);
    const printer = new PaholePrinter(btf);
    const differ: string[] = [];
    let compared = 0;
    for (const [head, text] of theirs) {
      const [kind, name] = head.split(' ') as ['struct' | 'union', string];
      const id = btf.findAggregates(name!).find((x) => btf.type(x).kind === (kind === 'union' ? 'UNION' : 'STRUCT'));
      expect(id, head).toBeDefined();
      const ours = printer.print(id!);
      compared++;
      if (ours !== text) differ.push(`${head} (seed ${seed}):\n--- pahole\n${text}\n--- ours\n${ours}`);
    }
    expect(compared).toBeGreaterThanOrEqual(60);
    if (process.env.PAHOLE_VERBOSE) console.log(`compared ${compared} tables, ${differ.length} differ`);
    expect(differ.slice(0, 2)).toEqual([]);
  });
});
