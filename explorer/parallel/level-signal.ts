/**
 * The hand-off between the driver and one worker thread of a parallel search, per level (and
 * per table growth): the request and the reply travel as messages on a MessageChannel, read
 * with `receiveMessageOnPort` (synchronously, not through either thread's event loop), and a
 * pair of counters in shared memory says when one is there. A round trip through the event
 * loops costs a wake-up of each thread per level; on a loaded machine the thread woken by
 * `postMessage` preempts the one that sent it (measured: 1.5 ms per message with other jobs on
 * both cores, some 300 levels a search). Here a thread that finished its part first spins on
 * the counter for a short while (the other thread's last chunk, the driver's bookkeeping) and
 * only then sleeps in `Atomics.wait`.
 *
 * Counters, not flags: GO counts requests sent, DONE replies sent; each side knows how many it
 * has seen, so nothing is ever reset (a reset would race with the other side's next raise).
 */
export const GO = 0;
export const DONE = 1;
export const SIGNAL_WORDS = 2;

/** How long a waiting thread spins before it sleeps: about a chunk's expansion (64 states) and
 *  the driver's work between two levels, which is what it usually waits for. */
export const SPIN_MS = 1;

export function newSignal(): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(SIGNAL_WORDS * 4));
}

/** Counts one more on `word` and wakes a thread sleeping on it. */
export function raise(signal: Int32Array, word: number): void {
  Atomics.add(signal, word, 1);
  Atomics.notify(signal, word);
}

/**
 * Waits until `signal[word]` reaches `target`: spins for up to `spinMs`, then sleeps in
 * `Atomics.wait` for up to `sleepMs` (Infinity: until it is raised). True when the count was
 * reached, false when the time ran out (the caller then looks at why: a thread that died never
 * raises).
 */
export function awaitCount(signal: Int32Array, word: number, target: number, spinMs: number, sleepMs: number): boolean {
  let v = Atomics.load(signal, word);
  if (v >= target) return true;
  const spinUntil = performance.now() + spinMs;
  // Reading the clock only every 64 loads keeps the spin a tight loop of shared reads.
  for (let i = 1; ; i++) {
    v = Atomics.load(signal, word);
    if (v >= target) return true;
    if ((i & 63) === 0 && performance.now() >= spinUntil) break;
  }
  const sleepUntil = performance.now() + sleepMs;
  for (;;) {
    const left = sleepUntil - performance.now();
    if (left <= 0) return false;
    // Returns at once ('not-equal') when the count moved since it was read.
    Atomics.wait(signal, word, v, left);
    v = Atomics.load(signal, word);
    if (v >= target) return true;
  }
}
