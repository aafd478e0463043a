/**
 * The parallel and distributed flags of `memdesc-mc check`: --workers, --shard I/N (with
 * --shard-depth, --fingerprints) and --swarm K (with --seed), parsed here and run here so the
 * check command itself only dispatches.
 */
import { availableParallelism } from 'node:os';
import type { CheckOptions } from '../explorer/index.js';
import { writeFingerprintFile, type ShardSpec } from '../explorer/parallel/index.js';
import { renderTable } from '../report/table.js';
import { renderTraceText } from '../report/trace-text.js';
import { palette } from '../report/color.js';
import { nonNegativeInteger, positiveInteger } from './args.js';
import { EXIT_FAILED, EXIT_OK, InputError } from './errors.js';
import { executeShard, executeSwarm } from './parallel-runs.js';
import { runTitle, walkViolation, type FinishedRun, type PlannedRun } from './runs.js';
import type { ScenarioSource } from './source.js';
import { traceFileOf, writeTraceFile } from './trace-output.js';
import { CHECK_COLUMNS, checkRow, runJson } from './commands/check.js';

export const PARALLEL_FLAGS = {
  workers: { type: 'string' },
  shard: { type: 'string' },
  'shard-depth': { type: 'string' },
  fingerprints: { type: 'string' },
  swarm: { type: 'string' },
  seed: { type: 'string' },
} as const;

export interface ParallelFlags {
  readonly workers: number;
  readonly shard?: ShardSpec;
  readonly fingerprints?: string;
  readonly swarm?: { readonly count: number; readonly seed: number };
}

type FlagValues = { [K in keyof typeof PARALLEL_FLAGS]?: string };

export function parseParallelFlags(values: FlagValues, runs: readonly PlannedRun[]): ParallelFlags {
  const workers = positiveInteger('workers', values.workers) ?? availableParallelism();
  let shard: ShardSpec | undefined;
  if (values.shard !== undefined) {
    const m = /^([0-9]+)\/([0-9]+)$/.exec(values.shard);
    const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
    if (!m || !(count >= 1) || !(index < count)) throw new InputError(`--shard must be I/N with 0 <= I < N (e.g. 0/4), got '${values.shard}'`);
    const depth = nonNegativeInteger('shard-depth', values['shard-depth']);
    shard = { index, count, ...(depth !== undefined ? { depth } : {}) };
  } else {
    for (const f of ['shard-depth', 'fingerprints'] as const) if (values[f] !== undefined) throw new InputError(`--${f} needs --shard I/N`);
  }
  const swarmCount = positiveInteger('swarm', values.swarm);
  const seed = nonNegativeInteger('seed', values.seed);
  if (seed !== undefined && swarmCount === undefined) throw new InputError('--seed needs --swarm K');
  if (shard !== undefined && swarmCount !== undefined) throw new InputError('--shard and --swarm do not go together: a shard is part of an exhaustive search, a swarm is not one');
  const what = shard !== undefined ? '--shard' : swarmCount !== undefined ? '--swarm' : undefined;
  if (what !== undefined && runs.length !== 1) {
    throw new InputError(`${what} needs exactly one run (one scenario and --design), this command line selects ${runs.length}`);
  }
  return {
    workers,
    ...(shard !== undefined ? { shard, fingerprints: values.fingerprints ?? defaultFingerprintFile(runs[0], shard) } : {}),
    ...(swarmCount !== undefined ? { swarm: { count: swarmCount, seed: seed ?? 1 } } : {}),
  };
}

function defaultFingerprintFile(run: PlannedRun, shard: ShardSpec): string {
  return `${run.scenario.id}.${run.design}.shard-${shard.index}-of-${shard.count}.fp`;
}

interface Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly trace?: string;
}

/** `check --shard` or `check --swarm` on the one selected run. */
export async function runShardOrSwarm(source: ScenarioSource, run: PlannedRun, cli: CheckOptions, flags: ParallelFlags, out: Output): Promise<number> {
  let f: FinishedRun;
  let extra: Record<string, unknown>;
  let note: string;
  if (flags.shard !== undefined) {
    const s = await executeShard(source, run, cli, flags.shard, flags.workers);
    writeFingerprintFile(flags.fingerprints!, s.fingerprints);
    f = s.finished;
    extra = { shard: { index: flags.shard.index, count: flags.shard.count, depth: s.depth, fingerprints: flags.fingerprints } };
    note = `shard ${flags.shard.index}/${flags.shard.count} of ${runTitle(run)}: ` +
      (s.depth === null ? 'the search ended before the split depth, so this shard explored everything' : `split at depth ${s.depth}`) +
      `; ${s.fingerprints.length / 2} visited fingerprints written to ${flags.fingerprints}. Combine every shard's --json output with memdesc-mc merge.`;
  } else {
    const { count, seed } = flags.swarm!;
    f = await executeSwarm(source, run, cli, count, seed, flags.workers);
    extra = { swarm: { searches: count, seed, exhaustive: false } };
    note = `swarm of ${count} randomized searches of ${runTitle(run)} (seeds ${seed}-${seed + count - 1}): not exhaustive; a violation it finds is real, its absence proves nothing.`;
  }
  // A shard or a swarm alone cannot show that a scenario holds: only a violation the
  // scenario does not expect (or, for a swarm, an expected one it missed) fails the command.
  const violated = f.result.verdict === 'violated';
  const unexpected = violated ? !f.met : flags.swarm !== undefined && 'violates' in f.run.expected;
  if (out.trace !== undefined && f.result.violation) writeTraceFile(out.trace, traceFileOf(source, f));
  if (out.json) {
    const doc = { met: f.met, runs: [{ ...runJson(f, false), ...extra, ...(!f.met && f.result.violation ? { trace: traceFileOf(source, f) } : {}) }] };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const p = palette(out.color);
    const row = checkRow(f, out.color);
    // One part of a search cannot meet a `holds` expectation; say so instead of UNEXPECTED.
    if (!unexpected && !f.met) row[row.length - 1] = 'no violation in this part';
    const lines = [renderTable(CHECK_COLUMNS, [row]), '', note];
    if (unexpected && f.result.violation) lines.push('', renderTraceText(walkViolation(source, f), { color: out.color }));
    if (f.result.verdict === 'incomplete') lines.push('', `${runTitle(f.run)}: incomplete: ${f.result.incompleteReason ?? 'a bound was reached'}`);
    if (out.trace !== undefined) lines.push(f.result.violation ? `trace written to ${out.trace}` : `no violation: ${out.trace} not written`);
    lines.push(unexpected ? p.red('unexpected result') : p.green('nothing unexpected in this part'));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return unexpected ? EXIT_FAILED : EXIT_OK;
}
