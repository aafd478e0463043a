/**
 * The hand-off between the driver and one worker thread of a parallel search, per level (and
 * per table growth): the request and the reply travel as messages on a MessageChannel, read
 * with `receiveMessageOnPort` (synchronously, not through either thread's event loop), and a
 * pair of counters in shared memory says when one is there. A round trip through the event
 * loops costs a wake-up of each thread per level; on a loaded machine the sender lost 1.5 ms
 * per `postMessage` that woke the other thread (measured with other jobs on both cores; some
 * 300 levels a search). Here a thread that finished its part first spins on
 * the counter for a short while (the other thread's last chunk, the driver's bookkeeping) and
 * only then sleeps in `Atomics.wait`.
 *
 * Counters, not flags: GO counts requests sent, DONE replies sent; each side knows how many it
 * has seen, so nothing is ever reset (a reset would race with the other side's next raise).
 *
 * Beside each counter, the number of threads asleep on it: a raise calls `Atomics.notify`
 * only when someone sleeps (as a futex-based mutex wakes only with waiters). A notify is a
 * system call and takes V8's global waiter-list lock; most hand-offs end while the other side
 * still spins, and then nobody needs waking.
 */
export const GO = 0;
export const DONE = 1;
/** `SLEEPERS + word`: threads in `Atomics.wait` on `word` (or about to be). */
export const SLEEPERS = 2;
export const SIGNAL_WORDS = 4;

/** How long a waiting thread spins at most before it sleeps: several times what it waits for
 *  on idle cores, the other thread's last chunk (64 states, some 30 us on the bench's model)
 *  and the driver's work between two levels (some 20 us, and its message). */
export const SPIN_MS = 0.25;
/** The least it spins: where the other thread is often descheduled (other jobs on the cores),
 *  most waits outlast any spin, and spinning is CPU time taken from them for nothing. */
export const MIN_SPIN_MS = 0.02;

/**
 * How long one waiting thread spins before it sleeps, adapted to what its waits were like: a
 * wait that ended while spinning doubles the next spin (up to `maxMs`), one that had to sleep
 * halves it (down to `minMs`). As adaptive mutexes do: on idle cores waits are short and a
 * spin saves the sleep and wake-up; on busy ones spinning would only add CPU time.
 */
export class SpinBudget {
  ms: number;
  constructor(readonly maxMs = SPIN_MS, readonly minMs = MIN_SPIN_MS) {
    this.ms = maxMs;
  }

  spun(): void {
    this.ms = Math.min(this.maxMs, this.ms * 2);
  }

  slept(): void {
    this.ms = Math.max(this.minMs, this.ms / 2);
  }
}

export function newSignal(): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(SIGNAL_WORDS * 4));
}

/** Counts one more on `word` and wakes a thread sleeping on it, if one is. Both accesses are
 *  sequentially consistent, as the sleeper's are (it counts itself in, then reads the
 *  counter): either it sees the new count and does not sleep, or this sees it and wakes it. */
export function raise(signal: Int32Array, word: number): void {
  Atomics.add(signal, word, 1);
  if (Atomics.load(signal, SLEEPERS + word) !== 0) Atomics.notify(signal, word);
}

/**
 * Waits until `signal[word]` reaches `target`: spins for up to `spin.ms`, then sleeps in
 * `Atomics.wait` for up to `sleepMs` (Infinity: until it is raised), and tells `spin` which it
 * was. True when the count was reached, false when the time ran out (the caller then looks at
 * why: a thread that died never raises).
 */
export function awaitCount(signal: Int32Array, word: number, target: number, spin: SpinBudget, sleepMs: number): boolean {
  let v = Atomics.load(signal, word);
  if (v >= target) return true;
  // Stryker disable next-line ArithmeticOperator: how long the spin lasts is timing only
  const spinUntil = performance.now() + spin.ms;
  // Reading the clock only every 64 loads keeps the spin a tight loop of shared reads.
  for (let i = 1; ; i++) {
    v = Atomics.load(signal, word);
    // Stryker disable next-line all: reached while spinning only when another thread raises meanwhile, which the cross-thread tests check on the built engine (threads cannot load the mutated sources)
    if (v >= target) {
      spin.spun();
      return true;
    }
    // Stryker disable next-line all: when the spin ends is timing only
    if ((i & 63) === 0 && performance.now() >= spinUntil) break;
  }
  spin.slept();
  // Stryker disable next-line ArithmeticOperator: how long it sleeps is timing only (Infinity either way for the worker thread)
  const sleepUntil = performance.now() + sleepMs;
  // Counted in before the counter is read again: a raise after that read sees a sleeper.
  Atomics.add(signal, SLEEPERS + word, 1);
  try {
    for (;;) {
      v = Atomics.load(signal, word);
      // Stryker disable next-line all: reached after sleeping only when another thread raises meanwhile (cross-thread tests, built engine)
      if (v >= target) return true;
      const left = sleepUntil - performance.now();
      // Stryker disable next-line EqualityOperator: at exactly 0 left, Atomics.wait returns at once and the next turn returns false
      if (left <= 0) return false;
      // Returns at once ('not-equal') when the count moved since it was read.
      Atomics.wait(signal, word, v, left);
    }
  } finally {
    Atomics.sub(signal, SLEEPERS + word, 1);
  }
}
