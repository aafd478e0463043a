/**
 * What `check` shows besides its table, kept apart from the command file: which traces to print
 * (unexpected violations always; every violation with --show-trace or for a mutation asked for
 * by name), findings of a mutation tried on other scenarios, the summary (with the fingerprint
 * collision probability), ITF output, and checking output paths before a long exploration.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { replay } from '../explorer/index.js';
import { palette } from '../report/color.js';
import { toItf } from '../report/itf.js';
import { formatCount } from '../report/table.js';
import { renderTraceText } from '../report/trace-text.js';
import { InputError } from './errors.js';
import { runTitle, walkViolation, type FinishedRun } from './runs.js';
import type { ScenarioSource } from './source.js';
import { writeOutputFile } from './trace-output.js';

/** check's options for how results are shown (merged into its option table). */
export const CHECK_VIEW_OPTIONS = {
  'show-trace': { type: 'boolean', default: false },
  raw: { type: 'boolean', default: false },
  'all-scenarios': { type: 'boolean', default: false },
  'trace-format': { type: 'string' },
} as const;

export const CHECK_VIEW_USAGE = `  --mutation M      run mutation M's own scenario(s) (memdesc-mc mutations lists them)
  --all-scenarios   with --mutation: apply M alone to every scenario of its designs; what it
                    breaks there is reported as a finding, not as a failed expectation
  --show-trace      print the trace of every violation, expected or not (default: unexpected
                    ones, and those of a mutation named with --mutation)
  --raw             show values as the model stores them (pc, ret, op included), not decoded
  --trace-format F  with --trace FILE: memdesc (default) or itf (also writes FILE's ITF twin,
                    FILE.itf.json, the Informal Trace Format that Apalache and Quint read)`;

/** A fingerprint collision probability above this gets a warning in the summary. */
export const COLLISION_WARNING = 1e-6;

export type TraceFormat = 'memdesc' | 'itf';

export function traceFormat(value: string | undefined): TraceFormat {
  if (value === undefined || value === 'memdesc') return 'memdesc';
  if (value === 'itf') return 'itf';
  throw new InputError(`--trace-format must be memdesc or itf, got '${value}'`);
}

/** FILE.json → FILE.itf.json (FILE → FILE.itf.json when it has no .json suffix). */
export function itfPath(traceFile: string): string {
  return traceFile.endsWith('.json') ? `${traceFile.slice(0, -'.json'.length)}.itf.json` : `${traceFile}.itf.json`;
}

/**
 * Fails now, before any exploration, when an output file could not be written afterwards: its
 * directory is missing or not writable, or the path is a directory.
 */
export function validateOutputPath(file: string | undefined, what: string): void {
  if (file === undefined) return;
  if (file === '') throw new InputError(`the ${what} path is empty`);
  const dir = dirname(resolve(file));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputError(`${file}: cannot write the ${what}: directory ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new InputError(`${file}: cannot write the ${what}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(`${file}: cannot write the ${what}: directory ${dir} is not writable`);
  }
  try {
    if (statSync(file).isDirectory()) throw new InputError(`${file}: cannot write the ${what}: it is a directory`);
    accessSync(file, constants.W_OK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`${file}: cannot write the ${what}: it is not writable`);
  }
}

export interface ViewChoice {
  readonly showTrace: boolean;
  readonly raw: boolean;
  readonly color: boolean;
  /** --mutation named without --all-scenarios: its own runs' traces are what was asked for. */
  readonly mutationAsked: boolean;
}

/** True for a run whose violation the output should print as a trace. */
function traceWanted(f: FinishedRun, v: ViewChoice): boolean {
  if (!f.result.violation) return false;
  if (!f.met) return true;
  if (v.showTrace) return true;
  return v.mutationAsked && !('findings' in f.run.expected);
}

/** The text after the table: findings, traces, incomplete runs. */
export function violationSections(source: ScenarioSource, finished: readonly FinishedRun[], v: ViewChoice): string[] {
  const p = palette(v.color);
  const out: string[] = [];
  const findings = finished.filter((f) => 'findings' in f.run.expected && f.result.violation);
  if (findings.length > 0) {
    out.push('', p.bold(`Findings (${findings.length}): what the mutation breaks in scenarios that are not its own${v.showTrace ? '' : ' (--show-trace prints their traces)'}`));
    for (const f of findings) {
      const x = f.result.violation!;
      out.push(`  ${runTitle(f.run)}: ${x.invariant} at step ${x.trace.steps.length}: ${x.message}`);
    }
  }
  for (const f of finished) {
    if (!traceWanted(f, v)) continue;
    out.push('', renderTraceText(walkViolation(source, f, { raw: v.raw }), { color: v.color }));
  }
  for (const f of finished) {
    if (f.result.verdict === 'incomplete') out.push('', `${runTitle(f.run)}: incomplete: ${f.result.incompleteReason ?? 'a bound was reached'}`);
  }
  return out;
}

/** The closing summary: expectations, findings, incomplete runs, and the chance that the
 *  fingerprinted visited set merged two distinct states. */
export function summaryLines(finished: readonly FinishedRun[], color: boolean): string[] {
  const p = palette(color);
  const unmet = finished.filter((f) => !f.met && f.result.verdict !== 'incomplete').length;
  const incomplete = finished.filter((f) => f.result.verdict === 'incomplete').length;
  const findings = finished.filter((f) => 'findings' in f.run.expected && f.result.violation).length;
  const states = finished.reduce((n, f) => n + f.result.stats.distinctStates, 0);
  const extra = [`${formatCount(states)} states`, ...(findings > 0 ? [`${findings} finding(s)`] : [])];
  const n = `${finished.length} run(s)`;
  const head = unmet > 0 ? p.red(`${n}: ${unmet} expectation(s) not met (${extra.join(', ')})`)
    : incomplete > 0 ? p.yellow(`${n}: ${incomplete} incomplete, a bound stopped them before an answer (${extra.join(', ')})`)
    : p.green(`${n}: every expectation met (${extra.join(', ')})`);
  const out = [head];
  const collision = finished.reduce((m, f) => Math.max(m, f.result.stats.collisionProbability ?? 0), 0);
  const text = `fingerprint collision probability: at most ${collision.toExponential(1)} per run (the chance that hashing states hid one)`;
  out.push(collision > COLLISION_WARNING ? p.yellow(`warning: ${text}, above ${COLLISION_WARNING.toExponential(0)}: a missed state is no longer negligible`) : text);
  return out;
}

/** Writes the ITF twin of a run's violation trace. */
export function writeItf(file: string, f: FinishedRun): void {
  const v = f.result.violation!;
  const r = replay(f.system, v.trace, { checkDeadlock: f.options.checkDeadlock });
  const itf = toItf(f.system, v.trace, r.states, {
    source: `memdesc-mc check ${f.run.scenario.id}`,
    description: `${runTitle(f.run)}: ${v.invariant} broken at step ${v.trace.steps.length}: ${v.message}`,
  });
  writeOutputFile(file, `${JSON.stringify(itf, null, 1)}\n`, 'ITF trace');
}
