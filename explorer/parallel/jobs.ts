import type { CheckOptions, CheckResult } from '../result.js';
import type { SystemRef } from './system-ref.js';
import { ThreadPort } from './worker-port.js';

/** One independent check: the system to build in the worker and its (plain-data) options. */
export interface Job {
  readonly ref: SystemRef;
  readonly options: CheckOptions;
}

/**
 * Runs independent checks (the scenarios of one `check`) on up to `workers` threads, each
 * thread taking the next job when it finishes one, so long and short runs balance out.
 * `onResult` sees each result as it comes (job index, result); the promise gives them all in
 * job order. Options must be plain data: functions (onProgress) cannot cross to a thread.
 */
export async function runJobs(jobs: readonly Job[], workers: number, onResult?: (index: number, result: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(jobs.length);
  let next = 0;
  const threads = Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, () => ThreadPort.spawn());
  try {
    await Promise.all(threads.map(async (t) => {
      while (next < jobs.length) {
        const i = next++;
        const { onProgress: _drop, ...plain } = jobs[i].options;
        results[i] = await t.job(jobs[i].ref, plain);
        onResult?.(i, results[i]);
      }
    }));
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  return results;
}
