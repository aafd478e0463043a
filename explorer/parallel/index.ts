/** Parallel and distributed exploration: worker threads on one machine (`parallelBfs`,
 *  `runJobs`), shards of one search across machines (`ShardSpec`, merged by fingerprints). */
export { parallelBfs, defaultWorkers, SHARD_MIN_STATES } from './parallel-bfs.js';
export type { ParallelOptions, ParallelRun, ShardSpec } from './parallel-bfs.js';
export { runJobs } from './jobs.js';
export type { Job } from './jobs.js';
export { loadSystem } from './system-ref.js';
export type { SystemRef } from './system-ref.js';
export { SharedFingerprintSet } from './shared-fingerprint-set.js';
export { readFingerprintFile, writeFingerprintFile, unionCount } from './fingerprint-file.js';
export { threadsAvailable } from './worker-port.js';
