/**
 * Entry of a worker thread: answers the driver's messages one at a time: `job`, a whole
 * single-threaded check of an independent scenario, or `init`, which builds its copy of the
 * system from a SystemRef for a parallel search and then serves that search's requests (`round`,
 * the first round of a level carrying the level; `rehash`) on the level channel until told to
 * stop. Every request gets one reply; a failure is replied as `error` with the error's name, so
 * a ModelError stays one.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { TransitionSystem } from '../system.js';
import { LevelExpander } from './level-expander.js';
import { loadSystem, type SystemRef } from './system-ref.js';
import { awaitCount, DONE, GO, raise, SpinBudget } from './level-signal.js';
import { threadCpuMs } from './thread-cpu.js';

const port = parentPort!;
let expander: LevelExpander | null = null;
const systems = new Map<string, Promise<TransitionSystem>>();

function systemOf(ref: SystemRef): Promise<TransitionSystem> {
  const key = JSON.stringify(ref);
  let s = systems.get(key);
  if (s === undefined) {
    s = loadSystem(ref);
    systems.set(key, s);
  }
  return s;
}

// Requests are handled strictly in order: an async one (init, job) holds back the next.
let queue: Promise<void> = Promise.resolve();

port.on('message', (msg: { type: string; [k: string]: any }) => {
  queue = queue.then(() => handle(msg)).catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ type: 'error', name: err.name, message: err.message, stack: err.stack });
  });
});

async function handle(msg: { type: string; [k: string]: any }): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const system = await systemOf(msg.ref);
      expander = new LevelExpander(system, msg.options, msg.table, msg.levelControl, msg.lane);
      port.postMessage({ type: 'ready' });
      serveLevels(expander, msg.channel, new Int32Array(msg.signal));
      return;
    }
    case 'job': {
      // Imported here, not at the top: a thread of a parallel search never runs a whole check,
      // and loading check.js (the progress pass, reductions, simulation) would delay its start
      // while the caller's thread searches alone.
      const { check } = await import('../check.js');
      const system = await systemOf(msg.ref);
      port.postMessage({ type: 'job', result: check(system, msg.options) });
      return;
    }
    default:
      throw new Error(`worker: unknown request ${msg.type}`);
  }
}

/**
 * Serves a parallel search's requests from the level channel (see level-signal.ts) until told
 * to stop: synchronously, so that neither a request nor a reply waits for an event loop. The
 * thread's event loop is blocked meanwhile: this thread serves that search only.
 */
function serveLevels(expander: LevelExpander, channel: MessagePort, signal: Int32Array): void {
  const spin = new SpinBudget();
  for (let seen = 0; ; ) {
    awaitCount(signal, GO, ++seen, spin, Infinity);
    // No message: the driver closed the channel (it is done with this thread).
    const msg = receiveMessageOnPort(channel)?.message as { type: string; [k: string]: any } | undefined;
    if (msg === undefined || msg.type === 'stop') return;
    try {
      if (msg.type === 'round') {
        if (msg.task) expander.beginLevel(msg.task);
        if (msg.table) expander.attachTable(msg.table);
        const out = expander.runRound();
        channel.postMessage({ type: 'round', out: { ...out, threadCpuMs: threadCpuMs() } }, [out.parents.buffer, out.actions.buffer, out.coverage.buffer]);
      } else if (msg.type === 'rehash') {
        channel.postMessage({ type: 'rehashed', done: expander.rehash(msg.from, msg.to, msg.part, msg.parts) });
      } else {
        throw new Error(`worker: unknown level request ${msg.type}`);
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      channel.postMessage({ type: 'error', name: err.name, message: err.message, stack: err.stack });
    }
    raise(signal, DONE);
  }
}
