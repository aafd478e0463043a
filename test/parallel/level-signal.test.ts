import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitCount, DONE, GO, newSignal, raise, SLEEPERS, SpinBudget } from '../../explorer/parallel/level-signal.js';
import { ensureBuilt, REPO } from '../cli/dist.js';

// The level hand-off between the driver and a worker thread: counters in shared memory that
// one side raises and the other spins on, then sleeps on (Atomics.wait / notify).

const dist = (p: string) => pathToFileURL(join(REPO, 'dist', p)).href;
const scratch = mkdtempSync(join(tmpdir(), 'level-signal-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('level signal in one thread', () => {
  it('raise counts one per call on its own word; awaitCount is true once the count is reached, false when it never comes', () => {
    const s = newSignal();
    const none = new SpinBudget(0, 0);
    expect(awaitCount(s, GO, 1, none, 0)).toBe(false);
    raise(s, GO);
    raise(s, GO);
    expect([s[GO], s[DONE]]).toEqual([2, 0]);
    expect(awaitCount(s, GO, 2, none, 0)).toBe(true);
    expect(awaitCount(s, GO, 3, new SpinBudget(0.1, 0.1), 1)).toBe(false);
    expect(awaitCount(s, DONE, 1, new SpinBudget(0.1, 0.1), 1)).toBe(false);
  });

  it('a waiter counts itself among the sleepers only while it sleeps: none before, none after a sleep that timed out, none after a wait that ended spinning', () => {
    const s = newSignal();
    expect([s[SLEEPERS + GO], s[SLEEPERS + DONE]]).toEqual([0, 0]);
    expect(awaitCount(s, GO, 1, new SpinBudget(0, 0), 2)).toBe(false);
    raise(s, DONE);
    expect(awaitCount(s, DONE, 1, new SpinBudget(0.1, 0.1), 2)).toBe(true);
    expect([s[SLEEPERS + GO], s[SLEEPERS + DONE], s[GO], s[DONE]]).toEqual([0, 0, 0, 1]);
  });

  it('the spin adapts: a wait that had to sleep halves the next spin down to the least, one that ended while spinning doubles it up to the most; a count already reached changes nothing', () => {
    const spin = new SpinBudget(1, 0.25);
    expect(spin.ms).toBe(1);
    const s = newSignal();
    awaitCount(s, GO, 1, spin, 0);
    expect(spin.ms).toBe(0.5);
    awaitCount(s, GO, 1, spin, 0);
    awaitCount(s, GO, 1, spin, 0);
    expect(spin.ms).toBe(0.25);
    raise(s, GO);
    awaitCount(s, GO, 1, spin, 0);
    expect(spin.ms).toBe(0.25);
    spin.spun();
    expect(spin.ms).toBe(0.5);
    spin.spun();
    spin.spun();
    expect(spin.ms).toBe(1);
  });
});

describe('level signal across threads (built engine)', () => {
  // Rounds of a ping-pong: the driver writes a value and raises GO; the thread waits for GO,
  // doubles the value and raises DONE. A lost wake-up hangs the test; a reply read before the
  // thread wrote it shows as a wrong value.
  const pingPong = (spinMs: number, rounds: number) => new Promise<number[]>((resolve, reject) => {
    const signal = newSignal();
    const data = new Int32Array(new SharedArrayBuffer(4));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.module).then(({ awaitCount, raise, GO, DONE, SpinBudget }) => {
        const signal = new Int32Array(workerData.signal), data = new Int32Array(workerData.data);
        const spin = new SpinBudget(workerData.spinMs, workerData.spinMs);
        for (let i = 1; i <= workerData.rounds; i++) {
          awaitCount(signal, GO, i, spin, Infinity);
          data[0] = data[0] * 2;
          raise(signal, DONE);
        }
        parentPort.postMessage('done');
      });`;
    const w = new Worker(code, { eval: true, workerData: { module: dist('explorer/parallel/level-signal.js'), signal: signal.buffer, data: data.buffer, rounds, spinMs } });
    w.once('error', reject);
    const seen: number[] = [];
    const spin = new SpinBudget(spinMs, spinMs);
    for (let i = 1; i <= rounds; i++) {
      data[0] = i;
      raise(signal, GO);
      while (!awaitCount(signal, DONE, i, spin, 50)) { /* sleeping in slices, as the driver does */ }
      seen.push(data[0]);
    }
    w.once('exit', () => resolve(seen));
  });

  it('a thread that sleeps between requests (no spinning) is woken for each of 300 requests and each reply is read after it was written', async () => {
    const seen = await pingPong(0, 300);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => 2 * (i + 1)));
  });

  it('a thread that spins before sleeping: the same 2,000 replies', async () => {
    const seen = await pingPong(1, 2000);
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => 2 * (i + 1)));
  });
});

describe('parallel search over the level channel (built engine)', () => {
  it('a step that throws in the worker thread fails the search with that error (a ModelError stays one)', async () => {
    const file = join(scratch, 'throws-in-thread.mjs');
    writeFileSync(file, `
      import { isMainThread } from 'node:worker_threads';
      import { coupledCounters } from ${JSON.stringify(dist('bench/coupled-counters.js'))};
      import { ModelError } from ${JSON.stringify(dist('explorer/model-error.js'))};
      export function throwsInThread() {
        const sys = coupledCounters(3, 30, 8);
        return { ...sys, apply(s, a, next) {
          if (!isMainThread) throw new ModelError('step thrown in the worker thread');
          sys.apply(s, a, next);
        } };
      }`);
    const { parallelBfs } = await import(dist('explorer/parallel/index.js'));
    const mod = await import(pathToFileURL(file).href);
    const ref = { module: pathToFileURL(file).href, export: 'throwsInThread', args: [] };
    const failed = parallelBfs(mod.throwsInThread(), ref, { workers: 2, sequentialStates: 0 });
    await expect(failed).rejects.toThrow(/step thrown in the worker thread/);
    await expect(failed).rejects.toMatchObject({ name: 'ModelError' });
  });

  it('a step that throws in this thread while the worker thread is mid-round fails the search, and the process still exits (the reply it will never get is given up)', () => {
    const file = join(scratch, 'throws-in-main.mjs');
    // The worker thread is slow (1 ms a step), so this thread expands most states and throws
    // while the worker is inside a round.
    writeFileSync(file, `
      import { isMainThread } from 'node:worker_threads';
      import { coupledCounters } from ${JSON.stringify(dist('bench/coupled-counters.js'))};
      const pause = new Int32Array(new SharedArrayBuffer(4));
      export function throwsInMain() {
        const sys = coupledCounters(3, 30, 8);
        return { ...sys, apply(s, a, next) {
          if (!isMainThread) Atomics.wait(pause, 0, 0, 1);
          else if (s[0] === 6) throw new Error('step thrown in the main thread');
          sys.apply(s, a, next);
        } };
      }`);
    const script = `
      const { parallelBfs } = await import(${JSON.stringify(dist('explorer/parallel/index.js'))});
      const mod = await import(${JSON.stringify(pathToFileURL(file).href)});
      const ref = { module: ${JSON.stringify(pathToFileURL(file).href)}, export: 'throwsInMain', args: [] };
      try { await parallelBfs(mod.throwsInMain(), ref, { workers: 2, sequentialStates: 0 }); console.log('no error'); }
      catch (e) { console.log('failed: ' + e.message); }`;
    const main = join(scratch, 'throws-in-main-run.mjs');
    writeFileSync(main, script);
    const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.stdout.trim()).toBe('failed: step thrown in the main thread');
    expect(r.status).toBe(0);
  });

  it('the timing account: with threads from the first level, every level is a threaded level; the driver\'s parts fit in the threaded wall clock and the worker thread did some of the work', async () => {
    const { parallelBfs } = await import(dist('explorer/parallel/index.js'));
    const { coupledCounters } = await import(dist('bench/coupled-counters.js'));
    const args = [3, 40, 10];
    const ref = { module: dist('bench/coupled-counters.js'), export: 'coupledCounters', args };
    const run = await parallelBfs(coupledCounters(...args), ref, { workers: 2, sequentialStates: 0, tableSlots: 4096 });
    const t = run.timing;
    expect(run.result.verdict).toBe('holds');
    expect(t.levels).toBe(run.result.stats.maxDepth + 1);
    expect(t.threadBusyMs).toHaveLength(1);
    expect(t.threadBusyMs[0]).toBeGreaterThan(0);
    expect(t.threadBusyMs[0]).toBeLessThanOrEqual(t.threadedMs);
    const d = t.driver;
    expect(d.busyMs + d.linksMs + d.waitMs + d.serialMs).toBeCloseTo(t.threadedMs, 3);
    expect(Math.min(d.busyMs, d.linksMs, d.waitMs, d.serialMs, t.growMs, t.soloMs)).toBeGreaterThanOrEqual(0);
    expect(t.growMs).toBeLessThanOrEqual(d.serialMs);
  });
});
