import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { CheckOptions, CheckResult } from '../result.js';
import { ModelError } from '../model-error.js';
import type { SharedTableHandle } from './shared-fingerprint-set.js';
import type { LevelExpander, LevelTask, Rehashed, RoundOutput, WorkerOptions } from './level-expander.js';
import type { SystemRef } from './system-ref.js';
import { awaitCount, DONE, GO, newSignal, raise, SpinBudget } from './level-signal.js';

/** A driver waiting for a thread's reply sleeps this long at a time, then lets the thread's
 *  error and exit events in (a thread that died never replies). */
const SLEEP_SLICE_MS = 50;

/** The driver's view of one worker of a parallel search, in a thread or in the caller's. */
export interface ExpanderPort {
  level(task: LevelTask): void;
  /** Runs a round; `table` when the table grew since the last one. */
  round(table: SharedTableHandle | null): Promise<RoundOutput>;
  /** Copies part `part` of `parts` of table `from` into the grown table `to`, then uses `to`;
   *  gives the milliseconds the copy took and the pairs left for the driver to add. */
  rehash(from: SharedTableHandle, to: SharedTableHandle, part: number, parts: number): Promise<Rehashed>;
  close(): Promise<void>;
}

/** A worker in the caller's thread. With `maxChunks` 1, several of them take turns chunk by
 *  chunk: the same claims and merging as threads, deterministic (what tests want). */
export class LocalPort implements ExpanderPort {
  constructor(private readonly expander: LevelExpander, private readonly maxChunks = Infinity) {}
  level(task: LevelTask): void {
    this.expander.beginLevel(task);
  }
  round(table: SharedTableHandle | null): Promise<RoundOutput> {
    if (table !== null) this.expander.attachTable(table);
    return Promise.resolve(this.expander.runRound(this.maxChunks));
  }
  rehash(from: SharedTableHandle, to: SharedTableHandle, part: number, parts: number): Promise<Rehashed> {
    return Promise.resolve(this.expander.rehash(from, to, part, parts));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

type Reply = { type: string; [k: string]: unknown };

/**
 * Whether worker threads can start: the compiled worker script exists beside this module (it
 * does in dist/ and in the package; running from TypeScript sources, e.g. under vitest, it
 * does not, and callers search in this thread instead).
 */
export function threadsAvailable(): boolean {
  return existsSync(fileURLToPath(new URL('./worker.js', import.meta.url)));
}

/** The channel of a thread serving a parallel search (see level-signal.ts): requests and
 *  replies as messages, counters in shared memory saying when one is there. */
interface LevelChannel {
  readonly port: MessagePort;
  readonly signal: Int32Array;
  readonly spin: SpinBudget;
  sent: number;
}

/** A worker_threads worker (dist/explorer/parallel/worker.js) answering one message at a time. */
export class ThreadPort implements ExpanderPort {
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private failed: Error | null = null;
  private channel: LevelChannel | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      const w = this.waiting.shift();
      if (w === undefined) return;
      if (m.type === 'error') w.reject(workerError(m));
      else w.resolve(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      // A thread serving a search (`channel`) may have a reply pending that will never come.
      if (this.waiting.length > 0 || this.channel !== null) this.fail(new Error(`worker thread exited (code ${code}) while a request was pending`));
    });
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  private request(msg: unknown, transfer: Transferable[] = []): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(msg, transfer as never);
    });
  }

  /** Sends a request of the search on the level channel now; the reply is collected only after
   *  the caller's synchronous work (the driver's own round), when it awaits. */
  private exchange(msg: unknown): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const c = this.channel!;
    c.port.postMessage(msg);
    c.sent++;
    raise(c.signal, GO);
    return this.collect(c);
  }

  private async collect(c: LevelChannel): Promise<Reply> {
    // Waiting starts in a microtask: after the driver's own round, which runs synchronously
    // once every thread has its request.
    await undefined;
    while (!awaitCount(c.signal, DONE, c.sent, c.spin, SLEEP_SLICE_MS)) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.failed) throw this.failed;
    }
    const m = receiveMessageOnPort(c.port)!.message as Reply;
    if (m.type === 'error') throw workerError(m);
    return m;
  }

  /** A thread with nothing loaded yet (for `job`s). */
  static spawn(): ThreadPort {
    // Not unref'd: a caller awaiting a reply must keep the process alive. Every user closes
    // its ports in a finally block.
    return new ThreadPort(new Worker(new URL('./worker.js', import.meta.url)));
  }

  /** A thread that has built the system from `ref` and attached to the shared table, then
   *  serves the search's rounds on its level channel (it answers nothing else until closed). */
  static async start(ref: SystemRef, options: WorkerOptions, table: SharedTableHandle, levelControl: SharedArrayBuffer, lane: number): Promise<ThreadPort> {
    const port = ThreadPort.spawn();
    const { port1, port2 } = new MessageChannel();
    const signal = newSignal();
    try {
      await port.request({ type: 'init', ref, options, table, levelControl, lane, channel: port2, signal: signal.buffer }, [port2]);
    } catch (e) {
      // A thread that failed to start must not keep the process alive.
      port1.close();
      await port.worker.terminate();
      throw e;
    }
    port.channel = { port: port1, signal, spin: new SpinBudget(), sent: 0 };
    return port;
  }

  /** The level not yet sent: it goes with the level's first round, one message, one wake-up
   *  of the thread per level. */
  private task: LevelTask | null = null;

  level(task: LevelTask): void {
    this.task = task;
  }

  round(table: SharedTableHandle | null): Promise<RoundOutput> {
    const task = this.task;
    this.task = null;
    return handled(this.exchange({ type: 'round', task, table }).then((r) => r.out as RoundOutput));
  }

  rehash(from: SharedTableHandle, to: SharedTableHandle, part: number, parts: number): Promise<Rehashed> {
    return handled(this.exchange({ type: 'rehash', from, to, part, parts }).then((r) => r.done as Rehashed));
  }

  /** Checks a whole system in the thread, single-threaded (independent scenarios). */
  async job(ref: SystemRef, options: CheckOptions): Promise<CheckResult> {
    return (await this.request({ type: 'job', ref, options })).result as CheckResult;
  }

  async close(): Promise<void> {
    const c = this.channel;
    if (c !== null) {
      // Ends the thread's serving loop (it may be asleep in Atomics.wait), then the thread. A
      // reply still awaited (the search failed in this thread meanwhile) is given up.
      this.channel = null;
      this.failed ??= new Error('worker thread closed while a request was pending');
      c.port.postMessage({ type: 'stop' });
      raise(c.signal, GO);
      await this.worker.terminate();
      c.port.close();
      return;
    }
    await this.worker.terminate();
  }
}

/** `p`, marked as handled: a search that fails in the caller's thread leaves the threads'
 *  replies unawaited, and their rejection when the threads are closed is no error of its own. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function workerError(m: Reply): Error {
  const message = String(m.message);
  if (m.name === 'ModelError') return new ModelError(message);
  const e = new Error(message);
  if (typeof m.stack === 'string') e.stack = m.stack;
  return e;
}
