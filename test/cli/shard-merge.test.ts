import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from './dist.js';

const scratch = mkdtempSync(join(tmpdir(), 'shard-merge-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The 64-bit fingerprints a shard wrote, read without the project's reader: a 16-byte header,
 *  then one 8-byte fingerprint per visited state. */
function fingerprints(file: string): string[] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('MDFP');
  const out: string[] = [];
  for (let i = 16; i + 8 <= bytes.length; i += 8) out.push(bytes.subarray(i, i + 8).toString('hex'));
  return out;
}

/**
 * check --shard 0/2 and 1/2 then merge, on three holding scenarios (one with thread symmetry
 * on): the merged verdict is the unsharded one, each shard alone misses some states (so the
 * union is doing the work), and the union of the fingerprint files, counted here, is the
 * unsharded distinct-state count, as merge reports it.
 */
describe('shards and merge against one unsharded run (built CLI)', () => {
  for (const [id, design] of [['two-size-classes', 'zpdesc'], ['cross-zone-migration', 'zpdesc'], ['three-migrations-one-zspage', 'memdesc']] as const) {
    it(`${id} (${design}): shard 0/2 + 1/2 + merge hold as the whole run does, and the shards' fingerprint union is the whole run's state count`, () => {
      const whole = cli(['check', id, '--design', design, '--json', '--workers', '1']);
      expect(whole.code, whole.err).toBe(0);
      const w = JSON.parse(whole.out).runs[0];
      expect(w.verdict).toBe('holds');
      const shards = [0, 1].map((i) => {
        const fp = join(scratch, `${id}-${i}.fp`);
        const r = cli(['check', id, '--design', design, '--shard', `${i}/2`, '--fingerprints', fp, '--json', '--workers', '1']);
        expect(r.code, r.err).toBe(0);
        const json = join(scratch, `${id}-${i}.json`);
        writeFileSync(json, r.out);
        const run = JSON.parse(r.out).runs[0];
        const own = fingerprints(fp);
        expect(new Set(own).size).toBe(own.length);
        expect(own.length).toBe(run.stats.distinctStates);
        return { json, run, own };
      });
      for (const s of shards) {
        expect(s.run.verdict).toBe('holds');
        expect(s.run.stats.distinctStates).toBeLessThan(w.stats.distinctStates);
      }
      const union = new Set([...shards[0].own, ...shards[1].own]);
      expect(union.size).toBe(w.stats.distinctStates);
      const m = cli(['merge', ...shards.map((s) => s.json), '--json']);
      expect(m.code, m.err).toBe(0);
      const merged = JSON.parse(m.out);
      expect(merged.verdict).toBe('holds');
      expect(merged.distinctStates).toBe(w.stats.distinctStates);
    }, 120_000);
  }
});
