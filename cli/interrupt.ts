/**
 * Ctrl-C during a long exploration. The engine runs synchronously, so a SIGINT handler would
 * only run after the exploration ends; node:vm's `breakOnSigint` instead interrupts the running
 * script at once (what Node's REPL does), and the command can clear its progress line and say how
 * far the run in progress had got before exiting 130 (128 + SIGINT, as a shell reports it).
 */
import { Script } from 'node:vm';
import type { Progress } from '../explorer/index.js';
import { formatCount } from '../report/table.js';

export const EXIT_INTERRUPTED = 130;

export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

const SLOT = '__memdescMcInterruptible';

/** Runs `fn`; Ctrl-C (SIGINT) while it runs throws Interrupted instead of killing the process. */
export function runInterruptibly<T>(fn: () => T): T {
  const g = globalThis as Record<string, unknown>;
  g[SLOT] = fn;
  try {
    return new Script(`globalThis.${SLOT}()`).runInThisContext({ breakOnSigint: true }) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw new Interrupted('interrupted');
    throw e;
  } finally {
    delete g[SLOT];
  }
}

/** The latest progress of the run in progress (what an interruption reports). */
export class ProgressTracker {
  last: Progress | undefined;
  constructor(private readonly forward?: (p: Progress) => void) {}
  update = (p: Progress): void => {
    this.last = p;
    this.forward?.(p);
  };
}

/** One line: how far an interrupted run had got. */
export function partialStats(title: string, p: Progress | undefined): string {
  if (!p) return `interrupted: ${title}: before its first progress report (no statistics yet)`;
  return `interrupted: ${title}: ${formatCount(p.distinctStates)} states, ${formatCount(p.transitions)} transitions, depth ${p.depth}, `
    + `queue ${formatCount(p.queued)}, ${(p.elapsedMs / 1000).toFixed(1)} s so far; no verdict`;
}
