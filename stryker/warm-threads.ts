import { ThreadsPoolWorker } from 'vitest/node';

type Message = { __vitest_worker_request__?: boolean; type?: string; context?: Record<string, unknown> };
type Listener = (...args: unknown[]) => void;
type WorkerOptions = ConstructorParameters<typeof ThreadsPoolWorker>[0];

/** A thread whose previous run ended cleanly, kept for the next run (one per process: Stryker's
 *  vitest runner runs one file at a time, maxWorkers 1). */
let parked: { inner: ThreadsPoolWorker; config: unknown } | undefined;

/**
 * vitest's "threads" pool, except that the thread outlives a run. Stryker starts one vitest run
 * per mutant, and vitest ends every run by terminating its worker threads, so each mutant paid
 * for a new thread that loaded vitest's runtime and evaluated the instrumented engine again
 * (over half a second, where a mutant's tests take milliseconds). Here a run's "stop" parks the
 * thread instead, and the next run's "start" finds it ready: its module graph (the engine, the
 * test helpers) stays evaluated, as it does between the files of one run under `isolate: false`
 * (Stryker switches mutants at run time, and no fixture runs engine code at import). The test
 * files themselves are evaluated again by every run (vitest invalidates a run's files before
 * it imports them), and so is the setup file that reads the active mutant. A run that ends any
 * other way (an error, a forced stop) terminates the thread, as vitest does; a mutant that
 * times out ends the whole test process.
 */
class WarmThreadsWorker {
  readonly name = 'warm-threads';
  private readonly inner: ThreadsPoolWorker;
  private readonly listeners: Array<[string, Listener]> = [];
  private config: unknown;
  private warm: boolean;
  private parkOnStop = false;

  constructor(options: WorkerOptions) {
    if (parked !== undefined) {
      this.inner = parked.inner;
      this.config = parked.config;
      this.warm = true;
      parked = undefined;
      this.inner.thread.ref();
    } else {
      this.inner = new ThreadsPoolWorker(options);
      this.warm = false;
    }
  }

  on(event: string, callback: Listener): void {
    this.listeners.push([event, callback]);
    this.inner.on(event, callback as never);
  }

  off(event: string, callback: Listener): void {
    const i = this.listeners.findIndex(([e, c]) => e === event && c === callback);
    if (i !== -1) this.listeners.splice(i, 1);
    this.inner.off(event, callback as never);
  }

  private reply(message: Record<string, unknown>): void {
    setImmediate(() => {
      for (const [event, callback] of [...this.listeners]) if (event === 'message') callback(message);
    });
  }

  send(raw: unknown): void {
    const message = raw as Message;
    if (message?.__vitest_worker_request__ === true) {
      if (message.type === 'start') {
        // The configuration tests read (the test name filter Stryker sets per mutant among it)
        // travels with "start"; a warm thread gets it with each "run" instead.
        this.config = (message.context as { config: unknown }).config;
        if (this.warm) { this.reply({ type: 'started', __vitest_worker_response__: true }); return; }
      } else if (message.type === 'stop') {
        this.parkOnStop = true;
        this.reply({ type: 'stopped', __vitest_worker_response__: true });
        return;
      } else if (message.type === 'run' || message.type === 'collect') {
        this.inner.send({ ...message, context: { ...message.context, config: this.config } } as never);
        return;
      }
    }
    this.inner.send(raw as never);
  }

  async start(): Promise<void> {
    if (!this.warm) await this.inner.start();
  }

  async stop(): Promise<void> {
    for (const [event, callback] of this.listeners.splice(0)) this.inner.off(event, callback as never);
    if (this.parkOnStop && parked === undefined) {
      parked = { inner: this.inner, config: this.config };
      // A parked thread must not keep the test process alive once vitest closes.
      this.inner.thread.unref();
      return;
    }
    await this.inner.stop();
  }

  deserialize(data: unknown): unknown {
    return data;
  }
}

export const warmThreads = {
  name: 'warm-threads',
  createPoolWorker: (options: WorkerOptions) => new WarmThreadsWorker(options),
};
