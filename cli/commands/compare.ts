/**
 * `memdesc-mc compare [scenario…]`: one row per scenario, one column per design: holds,
 * violated (with the invariant and the trace length) or incomplete, with states and time.
 * Exits as check does: 1 for an unexpected answer, 4 when a bound left a cell incomplete.
 */
import { match } from 'ts-pattern';
import type { CheckOptions } from '../../explorer/index.js';
import { colorWanted, palette } from '../../report/color.js';
import { formatCount, formatSeconds, outputWidth, renderTable } from '../../report/table.js';
import { parseCommandArgs, positiveInteger, positiveSeconds } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { ProgressLine } from '../progress.js';
import { executeRun, runsExitCode, planRuns, runTitle, type FinishedRun } from '../runs.js';
import type { ScenarioSource } from '../source.js';

export const COMPARE_USAGE = `usage: memdesc-mc compare [scenario…] [--mutation M] [--json] [--max-states N] [--time-limit S]
  Designs × scenarios: holds / violated (invariant, trace length) / incomplete, states and time.
  Exit 0 when every cell meets its scenario's expectation, 1 otherwise.`;

export function cellText(f: FinishedRun): string {
  const r = f.result;
  const verdict = match(r.verdict)
    .with('violated', () => `violated ${r.violation!.invariant} (${r.violation!.trace.steps.length} steps)`)
    .with('holds', 'incomplete', (v) => v)
    .exhaustive();
  return `${verdict}, ${formatCount(r.stats.distinctStates)} st, ${formatSeconds(r.stats.elapsedMs)} s`;
}

export async function runCompareCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('compare', argv, {
    mutation: { type: 'string' },
    json: { type: 'boolean', default: false },
    'max-states': { type: 'string' },
    'time-limit': { type: 'string' },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${COMPARE_USAGE}\n`);
    return EXIT_OK;
  }
  const maxStates = positiveInteger('max-states', values['max-states']);
  const timeLimit = positiveSeconds('time-limit', values['time-limit']);
  const runs = planRuns(source, { scenarios: positionals, mutation: values.mutation });
  const options: CheckOptions = {
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(timeLimit !== undefined ? { timeLimitMs: Math.round(timeLimit * 1000) } : {}),
  };
  const showProgress = ProgressLine.wanted(values.json);
  const finished = runs.map((run) => {
    const progress = showProgress ? new ProgressLine(process.stderr, runTitle(run)) : undefined;
    const f = executeRun(source, run, progress ? { ...options, onProgress: progress.update } : options);
    progress?.clear();
    return f;
  });
  const designs = source.designs.filter((d) => finished.some((f) => f.run.design === d));
  const scenarioIds = [...new Set(finished.map((f) => f.run.scenario.id))];
  const cell = (id: string, d: string) => finished.find((f) => f.run.scenario.id === id && f.run.design === d);
  const allMet = finished.every((f) => f.met);

  if (values.json) {
    const doc = {
      designs,
      met: allMet,
      scenarios: scenarioIds.map((id) => ({
        scenario: id,
        results: Object.fromEntries(designs.flatMap((d) => {
          const f = cell(id, d);
          if (!f) return [];
          const r = f.result;
          return [[d, {
            verdict: r.verdict,
            ...(r.violation ? { invariant: r.violation.invariant, traceLength: r.violation.trace.steps.length } : {}),
            expected: f.run.expected,
            met: f.met,
            states: r.stats.distinctStates,
            seconds: r.stats.elapsedMs / 1000,
          }]];
        })),
      })),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return runsExitCode(finished);
  }
  const p = palette(colorWanted(process.stdout, values['no-color']));
  const rows = scenarioIds.map((id) => [id, ...designs.map((d) => {
    const f = cell(id, d);
    if (!f) return p.dim('-');
    const text = cellText(f);
    if (f.result.verdict === 'incomplete') return p.yellow(text);
    if ('findings' in f.run.expected) return f.result.violation ? p.yellow(`${text} finding`) : text;
    return f.met ? text : p.red(`${text} UNEXPECTED`);
  })]);
  const unmet = finished.filter((f) => !f.met && f.result.verdict !== 'incomplete').length;
  const incomplete = finished.filter((f) => f.result.verdict === 'incomplete').length;
  process.stdout.write(`${renderTable([{ header: 'scenario' }, ...designs.map((d) => ({ header: d }))], rows, { maxWidth: outputWidth(), wrap: 0 })}\n\n${
    unmet === 0 ? `every answered cell meets its expectation (${finished.length} runs)` : `${unmet} of ${finished.length} runs do not meet their expectation`}${
    incomplete > 0 ? `; ${incomplete} incomplete (a bound stopped them before an answer)` : ''}\n`);
  return runsExitCode(finished);
}
