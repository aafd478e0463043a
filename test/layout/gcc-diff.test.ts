/**
 * Differential test: random struct definitions laid out by the engine and by gcc (x86-64 and
 * gcc -m32 for i386) must agree on every sizeof, _Alignof, offsetof and bitfield position.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GCC, GCC_M32, missing } from '../tools.js';
import { readHeader, resolveMember, type Abi } from '../../model/layout/index.js';
import { C_PROLOGUE, ENUMS_C, emitProbes, emitStruct, structArb } from './random-structs.js';

const STRUCTS_PER_BATCH = Number(process.env.LAYOUT_STRUCTS ?? 100);
const BATCHES_PER_ABI = 2;

function compileAndRun(dir: string, name: string, source: string, abi: Abi): string {
  const cfile = join(dir, `${name}.c`);
  const exe = join(dir, name);
  writeFileSync(cfile, source);
  const flags = abi === 'ilp32' ? ['-m32'] : [];
  const cc = spawnSync('gcc', [...flags, '-std=gnu11', '-w', '-O0', '-o', exe, cfile], { encoding: 'utf8' });
  if (cc.error) throw new Error(`gcc is required for the layout differential test but could not be run: ${cc.error.message}`);
  if (cc.status !== 0) {
    const hint = abi === 'ilp32' ? ' (gcc -m32 needs gcc-multilib)' : '';
    throw new Error(`gcc${abi === 'ilp32' ? ' -m32' : ''} failed${hint}:\n${cc.stderr.split('\n').slice(0, 15).join('\n')}`);
  }
  const run = spawnSync(exe, [], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`compiled probe program failed: ${run.stderr}`);
  return run.stdout;
}

describe.each<Abi>(['lp64', 'ilp32'])('engine matches gcc on random structs (%s)', (abi) => {
  if (abi === 'ilp32' ? missing(GCC, GCC_M32) : missing(GCC)) return void test.skip('needs gcc' + (abi === 'ilp32' ? ' -m32' : ''), () => {});
  test.each(Array.from({ length: BATCHES_PER_ABI }, (_, i) => i))(`batch %i: sizeof/_Alignof/offsetof/bit positions agree for ${STRUCTS_PER_BATCH} structs`, (batch) => {
    // A fresh seed each run widens coverage; LAYOUT_SEED replays the one a failure names.
    const seed = process.env.LAYOUT_SEED ? Number(process.env.LAYOUT_SEED) : (Date.now() ^ (batch * 7919) ^ (abi === 'lp64' ? 0 : 104729)) >>> 0;
    const recs = fc.sample(structArb, { numRuns: STRUCTS_PER_BATCH, seed });
    const defs: string[] = [];
    let main = '';
    for (let i = 0; i < recs.length; i++) {
      const name = `s${i}`;
      const { c, probes, nestedTags } = emitStruct(recs[i], name, abi);
      defs.push(c);
      main += emitProbes(name, probes, nestedTags);
    }
    const header = ENUMS_C + 'struct opaque;\n' + defs.join('\n');
    const source = `${C_PROLOGUE}struct opaque;\n${defs.join('\n')}\nint main(void) {\n${main}\treturn 0;\n}\n`;
    const dir = mkdtempSync(join(tmpdir(), 'layout-gcc-'));
    let out: string;
    try {
      out = compileAndRun(dir, `b${batch}`, source, abi);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const report = readHeader(header, { file: 'random.h', abi });
    const structText = (name: string): string => defs.find((d) => d.includes(`struct ${name.split('_')[0]} {`)) ?? '';
    let checked = 0;
    for (const line of out.trim().split('\n')) {
      const f = line.split(' ');
      if (f[0] === 'S') {
        const typeName = `${f[1]} ${f[2]}`;
        const l = report.layoutOf(typeName);
        const ctx = `${abi} seed ${seed}: sizeof/_Alignof(${typeName})\n${structText(f[2])}`;
        expect(l, ctx).toBeDefined();
        expect([l!.size, l!.align], ctx).toEqual([Number(f[3]), Number(f[4])]);
      } else {
        const l = report.layoutOf(`struct ${f[1]}`)!;
        const r = resolveMember(l, f[2]);
        const ctx = `${abi} seed ${seed}: ${f[0] === 'O' ? 'offsetof' : 'bit position of'} ${f[1]}.${f[2]}\n${structText(f[1])}`;
        if (f[0] === 'O') expect(r.bitStart / 8, ctx).toBe(Number(f[3]));
        else expect([r.bitStart, r.member.bitSize], ctx).toEqual([Number(f[3]), Number(f[4])]);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(STRUCTS_PER_BATCH);
  });
});
