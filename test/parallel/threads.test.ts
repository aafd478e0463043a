import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO } from '../cli/dist.js';

// Worker threads load compiled modules, so these tests drive the built engine (dist/), as the
// CLI does, against the single-threaded engine of the same build.

const dist = (p: string) => pathToFileURL(join(REPO, 'dist', p)).href;
const scratch = mkdtempSync(join(tmpdir(), 'parallel-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function engine() {
  const explorer = await import(dist('explorer/index.js'));
  const parallel = await import(dist('explorer/parallel/index.js'));
  const { registry } = await import(dist('cli/registry.js'));
  return { explorer, parallel, registry };
}

describe('parallel BFS on worker threads', () => {
  it('zsmalloc scenarios: 2 threads (from the start, or after 20,000 states in this thread) give the single-threaded verdict, violated invariant and trace length, and its states, transitions and depth when they hold', async () => {
    const { explorer, parallel, registry } = await engine();
    const runs: [string, string][] = [
      ['two-size-classes', 'legacy'], ['compact-migrate-free-read', 'zpdesc'], ['two-migrations-one-zspage', 'memdesc'],
      ['bug-a5-lock-zspage', 'zpdesc'], ['bug-a3-empty-left', 'legacy'],
    ];
    for (const [id, design] of runs) {
      const scenario = registry.findScenario(id);
      const spec = { scenario, design, mutations: scenario.mutation ? [scenario.mutation] : [] };
      const sys = registry.buildSystem(spec);
      const single = explorer.check(sys);
      // compact-migrate-free-read passes 20,000 states: it starts in this thread, then switches;
      // two-size-classes switches at 5,000 states from a table that grew twice before (4,096
      // slots at the start) and grows again with the threads.
      const warmUp = id === 'compact-migrate-free-read' ? {}
        : id === 'two-size-classes' ? { sequentialStates: 5000, tableSlots: 4096 }
        : { sequentialStates: 0 };
      const par = (await parallel.parallelBfs(sys, registry.systemRef(spec), { workers: 2, ...warmUp })).result;
      expect(par.verdict, id).toBe(single.verdict);
      if (single.verdict === 'holds') {
        expect(par.stats.distinctStates, id).toBe(single.stats.distinctStates);
        expect(par.stats.transitions, id).toBe(single.stats.transitions);
        expect(par.stats.maxDepth, id).toBe(single.stats.maxDepth);
      } else {
        expect(par.violation.invariant, id).toBe(single.violation.invariant);
        expect(par.violation.trace.steps.length, id).toBe(single.violation.trace.steps.length);
        const rep = explorer.replay(sys, par.violation.trace);
        expect(rep.divergence, id).toBeUndefined();
        expect(rep.violation?.invariant, id).toBe(single.violation.invariant);
      }
    }
  });

  it('this thread and 1 or 2 worker threads, joining from the start or mid-search, over a table that grows between rounds: the single-threaded states, transitions, depth and per-action coverage', async () => {
    const { explorer, parallel } = await engine();
    const args = [4, 16, 6];
    const sys = (await import(dist('bench/coupled-counters.js'))).coupledCounters(...args);
    const ref = { module: dist('bench/coupled-counters.js'), export: 'coupledCounters', args };
    const single = explorer.check(sys, { checkProgress: false });
    expect(single.stats.distinctStates).toBeGreaterThan(4 * 4096);
    for (const workers of [2, 3]) {
      for (const sequentialStates of [0, 1000]) {
        const par = (await parallel.parallelBfs(sys, ref, { workers, sequentialStates, tableSlots: 4096 })).result;
        const label = `${workers} workers, threads after ${sequentialStates} states`;
        expect(par.verdict, label).toBe('holds');
        expect([par.stats.distinctStates, par.stats.transitions, par.stats.maxDepth], label)
          .toEqual([single.stats.distinctStates, single.stats.transitions, single.stats.maxDepth]);
        expect(par.coverage, label).toEqual(single.coverage);
      }
    }
  });

  it('a worker that cannot build the system fails the search with the error, naming the missing builder', async () => {
    const { parallel } = await engine();
    const ref = { module: dist('bench/coupled-counters.js'), export: 'noSuchBuilder', args: [] };
    const sys = (await import(dist('bench/coupled-counters.js'))).coupledCounters(2, 3, 2);
    await expect(parallel.parallelBfs(sys, ref, { workers: 2, sequentialStates: 0 })).rejects.toThrow(/exports no function noSuchBuilder/);
  });

  it('two threads adding overlapping fingerprint sets to one shared table: every fingerprint is new for exactly one add, the size is the union', async () => {
    const { parallel } = await engine();
    const handle = parallel.SharedFingerprintSet.allocate(1 << 17);
    // Thread a adds 0..39999, thread b adds 20000..59999 (as fingerprint (i * 2654435761, i)).
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.module).then(({ SharedFingerprintSet }) => {
        const set = new SharedFingerprintSet(workerData.handle, workerData.lane); // each thread counts in its own lane
        let fresh = 0;
        for (let i = workerData.from; i < workerData.to; i++) if (set.addFingerprint(Math.imul(i, 0x9e3779b1), i + 1)) fresh++;
        parentPort.postMessage(fresh);
      });`;
    const run = (from: number, to: number, lane: number) => new Promise<number>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { module: dist('explorer/parallel/shared-fingerprint-set.js'), handle, from, to, lane } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const [a, b] = await Promise.all([run(0, 40000, 1), run(20000, 60000, 2)]);
    expect(a + b).toBe(60000);
    expect(new parallel.SharedFingerprintSet(handle).size).toBe(60000);
  });
});

describe('memdesc-mc check with threads, shards and swarms (built CLI)', async () => {
  const { cli } = await import('../cli/dist.js');

  it('--workers 2 over several scenarios gives the rows of --workers 1: verdicts and distinct states', () => {
    const args = ['check', 'two-size-classes', 'compact-vs-migrate', 'bug-a5-lock-zspage', 'huge-class', '--json'];
    const one = cli([...args, '--workers', '1']);
    const two = cli([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const rows = (out: string) => JSON.parse(out).runs.map((r: any) => [r.scenario, r.design, r.verdict, r.violation?.invariant, r.violation?.steps, r.verdict === 'holds' ? r.stats.distinctStates : 0]);
    expect(rows(two.out)).toEqual(rows(one.out));
  });

  for (const [id, design] of [['compact-migrate-free-read', 'legacy'], ['two-size-classes', 'zpdesc'], ['bug-a5-lock-zspage', 'zpdesc']]) {
    it(`${id} (${design}): shard 0/2 + shard 1/2 + merge give the unsharded verdict, and the union of their fingerprints the unsharded state count`, () => {
      const whole = JSON.parse(cli(['check', id, '--design', design, '--json', '--workers', '1']).out).runs[0];
      const files = [0, 1].map((i) => {
        const fp = join(scratch, `${id}-${i}.fp`);
        const r = cli(['check', id, '--design', design, '--shard', `${i}/2`, '--fingerprints', fp, '--json', '--workers', '1']);
        expect(r.code, r.err).toBe(0);
        const file = join(scratch, `${id}-${i}.json`);
        writeFileSync(file, r.out);
        return file;
      });
      const m = cli(['merge', ...files, '--json']);
      expect(m.code, m.err).toBe(0);
      const merged = JSON.parse(m.out);
      expect(merged.verdict).toBe(whole.verdict);
      if (whole.verdict === 'holds') expect(merged.distinctStates).toBe(whole.stats.distinctStates);
      else {
        expect(merged.violation.invariant).toBe(whole.violation.invariant);
        expect(merged.violation.steps).toBe(whole.violation.steps);
      }
    });
  }

  it('merge: a missing shard makes the verdict incomplete (exit 1); shards of different runs are one line of bad input (exit 2)', () => {
    const fp = join(scratch, 'lonely.fp');
    const r = cli(['check', 'huge-class', '--design', 'legacy', '--shard', '0/3', '--fingerprints', fp, '--json']);
    const file = join(scratch, 'lonely.json');
    writeFileSync(file, r.out);
    const m = cli(['merge', file, '--json']);
    expect(m.code).toBe(1);
    expect(JSON.parse(m.out)).toMatchObject({ verdict: 'incomplete', shards: { missing: [1, 2] } });
    const other = cli(['check', 'huge-class', '--design', 'zpdesc', '--shard', '1/3', '--fingerprints', join(scratch, 'other.fp'), '--json']);
    const otherFile = join(scratch, 'other.json');
    writeFileSync(otherFile, other.out);
    const bad = cli(['merge', file, otherFile]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/other\.json: shard of huge-class \/ zpdesc/);
    const garbage = join(scratch, 'garbage.json');
    writeFileSync(garbage, '{"runs": []}');
    expect(cli(['merge', garbage]).err).toMatch(/garbage\.json: not a shard result/);
    writeFileSync(fp, readFileSync(fp).subarray(0, 20));
    expect(cli(['merge', file]).err).toMatch(/lonely\.fp: /);
  });

  it('--swarm finds a mutation\'s violation and reports a scenario that holds as incomplete, never holds', () => {
    const bug = cli(['check', 'bug-a5-lock-zspage', '--swarm', '4', '--json']);
    expect(bug.code).toBe(0);
    expect(JSON.parse(bug.out).runs[0]).toMatchObject({ verdict: 'violated', swarm: { searches: 4, exhaustive: false } });
    const ok = cli(['check', 'huge-class', '--design', 'legacy', '--swarm', '3', '--seed', '7']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^huge-class +legacy +incomplete /m);
    expect(ok.out).toMatch(/not exhaustive/);
    expect(ok.out).not.toMatch(/UNEXPECTED/);
  });

  it('bad --shard, --workers and --swarm values are one line of bad input', () => {
    for (const [args, msg] of [
      [['--shard', '2/2', 'huge-class', '--design', 'legacy'], /--shard must be I\/N/],
      [['--shard', '0/2', 'huge-class'], /--shard needs exactly one run/],
      [['--workers', '0'], /--workers must be a positive integer/],
      [['--swarm', '2', '--shard', '0/2', 'huge-class', '--design', 'legacy'], /do not go together/],
    ] as const) {
      const r = cli(['check', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
