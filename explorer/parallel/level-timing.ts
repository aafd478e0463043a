import { threadCpuMs } from './thread-cpu.js';

/**
 * Where the wall-clock time of a parallel search goes once its threads have joined (the bench
 * prints it: the 2-worker speed-up is lost to time a thread spends not expanding states). Per
 * thread: time expanding (inside its rounds) and the rest of the threaded part's wall clock,
 * which is idle time at the level barriers or, for the driver, its serial work between levels
 * (ids for the new level, the frontier hand-off, growing the table). Timestamps are taken a
 * few times per level and round, never per state.
 */
export interface ParallelTiming {
  /** Milliseconds from the start of the search until the threads joined (the caller's thread
   *  searched alone meanwhile; thread start-up overlaps it). */
  readonly soloMs: number;
  /** Milliseconds from the threads joining to the end of the search. */
  readonly threadedMs: number;
  /** Levels expanded with the threads. */
  readonly levels: number;
  /** The driver's thread (lane 0): expanding (and its part of rehashing a grown table),
   *  recording parent links, waiting for the other threads to finish a level, and everything
   *  else (serial work between levels). */
  readonly driver: { readonly busyMs: number; readonly linksMs: number; readonly waitMs: number; readonly serialMs: number };
  /** Of the driver's serial time: growing the shared table (allocating it, waiting for the
   *  other threads' parts of the rehash; the driver's own part counts as busy). */
  readonly growMs: number;
  /** Each worker thread's time expanding (inside its rounds, and its parts of rehashing) during
   *  the threaded part. */
  readonly threadBusyMs: readonly number[];
  /** The latencies of the hand-offs with the worker threads, one entry per round a thread ran
   *  (a level's first round, and one after each growth of the table): `wakeMs`, from the
   *  driver sending the request to the thread starting the round (the message, the wake-up,
   *  and waiting for a core); `replyMs`, from the later of the two rounds ending to the driver
   *  holding the thread's reply. Idle time either way, which other jobs on the cores stretch
   *  most (a thread woken from sleep waits for a core). */
  readonly handoffs: { readonly wakeMs: readonly number[]; readonly replyMs: readonly number[] };
  /** CPU time of the driver's thread over the search, and each worker thread's over its life
   *  (start-up included) as of its last round, in ms (10 ms steps); null where the system does
   *  not tell a thread's CPU time (see thread-cpu.ts). The process's CPU time less these is
   *  its other threads' (the compiler's, the collector's). */
  readonly driverCpuMs: number | null;
  readonly threadCpuMs: readonly (number | null)[];
}

/** Milliseconds since the epoch, comparable across the threads of a process (each thread's
 *  performance.timeOrigin is its own start). */
export function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Collects the driver's side of a ParallelTiming. `now`: the clock, `cpu`: this thread's CPU
 *  time (a test's own). */
export class LevelClock {
  private readonly start: number;
  private joined = -1;
  private levels = 0;
  private busy = 0;
  private links = 0;
  private wait = 0;
  private grow = 0;
  private threadBusy: number[] = [];
  private wakes: number[] = [];
  private replies: number[] = [];
  private threadCpu: (number | null)[] = [];
  private readonly cpuAtStart: number | null;
  private mark = 0;

  constructor(private readonly now: () => number = () => performance.now(), private readonly cpu: () => number | null = threadCpuMs) {
    this.start = now();
    this.cpuAtStart = cpu();
  }

  /** The threads have joined (the first threaded level starts now). */
  join(threads: number): void {
    this.joined = this.now();
    this.threadBusy = new Array<number>(threads).fill(0);
    this.threadCpu = new Array<number | null>(threads).fill(null);
  }

  get threaded(): boolean {
    return this.joined >= 0;
  }

  /** Starts an interval (one reading of the clock). */
  begin(): void {
    this.mark = this.now();
  }

  /** Ends the interval begun last, counted as `kind`, and begins the next one. */
  lap(kind: 'busy' | 'links' | 'wait' | 'grow'): void {
    const t = this.now();
    const d = t - this.mark;
    this.mark = t;
    if (!this.threaded) return;
    if (kind === 'busy') this.busy += d;
    else if (kind === 'links') this.links += d;
    else if (kind === 'wait') this.wait += d;
    else this.grow += d;
  }

  level(): void {
    if (this.threaded) this.levels++;
  }

  /** A thread's part of growing the table took `ms`: work, as expanding is (the single-
   *  threaded search rehashes its table too), taken out of the driver's growth time. */
  rehashed(index: number, driver: boolean, ms: number): void {
    if (!this.threaded) return;
    if (driver) {
      this.busy += ms;
      this.grow -= ms;
    } else {
      this.threadBusy[index] += ms;
    }
  }

  /** One hand-off with a worker thread (see ParallelTiming.handoffs); a negative latency
   *  (clocks of two threads read microseconds apart) counts as 0. */
  handoff(wakeMs: number, replyMs: number): void {
    if (!this.threaded) return;
    this.wakes.push(Math.max(0, wakeMs));
    this.replies.push(Math.max(0, replyMs));
  }

  /** A worker thread's CPU time so far, as its latest round reported it. */
  threadCpuSoFar(index: number, ms: number | null): void {
    if (this.threaded) this.threadCpu[index] = ms;
  }

  /** A worker thread's round took `ms` expanding. */
  thread(index: number, ms: number): void {
    if (this.threaded) this.threadBusy[index] += ms;
  }

  finish(): ParallelTiming {
    const end = this.now();
    const cpuEnd = this.cpu();
    const joined = this.threaded ? this.joined : end;
    const threadedMs = end - joined;
    return {
      soloMs: joined - this.start,
      threadedMs,
      levels: this.levels,
      driver: { busyMs: this.busy, linksMs: this.links, waitMs: this.wait, serialMs: Math.max(0, threadedMs - this.busy - this.links - this.wait) },
      growMs: this.grow,
      threadBusyMs: this.threadBusy,
      handoffs: { wakeMs: this.wakes, replyMs: this.replies },
      driverCpuMs: cpuEnd === null || this.cpuAtStart === null ? null : cpuEnd - this.cpuAtStart,
      threadCpuMs: this.threadCpu,
    };
  }
}
