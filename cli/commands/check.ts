/**
 * `memdesc-mc check [scenario…]`: every interleaving of each scenario under each design it
 * lists; one table row per run, the shortest trace of every unexpected violation.
 * Exit 0: every expectation met; 1: an unexpected violation (or an expected one missing);
 * 2: bad input; 4: a bound stopped a run before an answer (incomplete).
 */
import { match } from 'ts-pattern';
import type { CheckOptions, CheckResult } from '../../explorer/index.js';
import { colorWanted, palette } from '../../report/color.js';
import { formatCount, formatSeconds, outputWidth, renderTable, StreamingTable } from '../../report/table.js';
import { parseCommandArgs, positiveInteger, positiveSeconds } from '../args.js';
import { EXIT_FAILED, EXIT_OK, InputError } from '../errors.js';
import { CHECK_VIEW_OPTIONS, CHECK_VIEW_USAGE, itfPath, summaryLines, traceFormat, validateOutputPath, violationSections, writeItf } from '../check-view.js';
import { EXIT_INTERRUPTED, Interrupted, partialStats, ProgressTracker, runInterruptibly } from '../interrupt.js';
import { ProgressLine } from '../progress.js';
import { expectationText, planRuns, runsExitCode, runTitle, walkViolation, type FinishedRun, type PlannedRun } from '../runs.js';
import type { ScenarioSource } from '../source.js';
import { traceFileOf, writeOutputFile, writeTraceFile } from '../trace-output.js';
import { renderTraceHtml } from '../../report/html.js';
import { executeRuns } from '../parallel-runs.js';
import { parseParallelFlags, PARALLEL_FLAGS, runShardOrSwarm } from '../shard-swarm.js';
import { applyScenarioInputs, SCENARIO_INPUT_OPTIONS, SCENARIO_INPUT_USAGE } from '../scenario-inputs.js';

export const CHECK_USAGE = `usage: memdesc-mc check [scenario…] [--design D] [--mutation M [--all-scenarios]] [--json]
                        [--coverage] [--show-trace] [--raw] [--trace FILE [--trace-format F]]
                        [--html FILE] [--max-states N] [--time-limit S] [--list]
                        [--no-progress] [--fairness weak|strong|none] [--workers N]
                        [--shard I/N [--shard-depth D] [--fingerprints FILE]] [--swarm K [--seed S]]
  Explores every interleaving of each scenario (default: all) under each design it lists.
  --design D        only this design (zsmalloc: legacy, zpdesc, memdesc; zbud-inline, zbud-page,
                    zbud-indirect; buddy-struct-page, buddy-in-page, buddy-descriptor)
${CHECK_VIEW_USAGE}
  --json            one JSON document on stdout
  --coverage        per step label: transitions that took it; labels never reached are gaps
  --trace FILE      write the first violation's trace file (replay it with memdesc-mc replay)
  --html FILE       write the first violation's trace as a self-contained HTML page
  --max-states N    stop a run after N distinct states (verdict: incomplete)
  --time-limit S    stop a run after S seconds (verdict: incomplete)
  --no-progress     safety only: skip the progress check (non-progress loops, progress properties)
  --fairness F      fairness the progress properties assume: weak, strong or none (default: the model's)
  --list            list the scenarios and their expectations, run nothing
  --workers N       threads that search (default: the number of cores): several runs share
                    N worker threads; one run becomes one parallel search by this thread and
                    N-1 worker threads (same verdict, states and trace length)
  --shard I/N       explore shard I of N of one run (split by state hash at --shard-depth);
                    writes its visited fingerprints to --fingerprints FILE; combine: memdesc-mc merge
  --shard-depth D   split at depth D (default: the first level with 64 states per shard)
  --swarm K         K randomized searches (seeds --seed S, S+1, …; S default 1) instead of one
                    exhaustive search; never reports holds
  --no-color        no colour even on a terminal (NO_COLOR is honoured too)
${SCENARIO_INPUT_USAGE}
  Exit 0: every expectation met; 1: an unexpected violation; 2: bad input; 4: incomplete.`;

function verdictText(r: CheckResult): string {
  return match(r.verdict)
    .with('violated', () => `violates ${r.violation!.invariant}`)
    .with('holds', 'incomplete', (v) => v)
    .exhaustive();
}

function checkRowName(r: PlannedRun): string {
  return r.scenario.id + (r.mutations.length > 0 ? ` +${r.mutations.join('+')}` : '');
}

export function checkRow(f: FinishedRun, color: boolean): string[] {
  const p = palette(color);
  const s = f.result.stats;
  const verdict = verdictText(f.result);
  const result = f.result.verdict === 'incomplete' ? p.yellow('incomplete')
    : 'findings' in f.run.expected ? (f.result.violation ? p.yellow('finding') : p.green('ok'))
    : f.met ? p.green('ok') : p.red(`UNEXPECTED (expected ${expectationText(f.run.expected)})`);
  return [
    checkRowName(f.run),
    f.run.design,
    f.met || f.result.verdict === 'incomplete' ? verdict : p.red(verdict),
    formatCount(s.distinctStates),
    formatCount(s.transitions),
    String(s.maxDepth),
    formatSeconds(s.elapsedMs),
    formatCount(s.statesPerSecond),
    result,
  ];
}

export const CHECK_COLUMNS = [
  { header: 'scenario' }, { header: 'design' }, { header: 'verdict' },
  { header: 'states', align: 'right' }, { header: 'transitions', align: 'right', optional: true }, { header: 'depth', align: 'right', optional: true },
  { header: 'seconds', align: 'right', optional: true }, { header: 'states/s', align: 'right', optional: true }, { header: 'expectation' },
] as const;

export function runJson(f: FinishedRun, withCoverage: boolean) {
  const r = f.result;
  const v = r.violation;
  return {
    scenario: f.run.scenario.id,
    design: f.run.design,
    mutations: f.run.mutations,
    expected: f.run.expected,
    verdict: r.verdict,
    met: f.met,
    ...(v ? { violation: { kind: v.kind, invariant: v.invariant, message: v.message, steps: v.trace.steps.length } } : {}),
    ...(r.incompleteReason ? { incompleteReason: r.incompleteReason } : {}),
    stats: r.stats,
    ...(withCoverage ? { coverage: Object.fromEntries(f.system.labels.map((l, i) => [l, r.coverage[i] ?? 0])) } : {}),
  };
}

/** Per label, transitions over every run; labels no run reached are the gaps. */
export function coverageReport(runs: readonly FinishedRun[]): { counts: Map<string, number>; gaps: string[] } {
  const counts = new Map<string, number>();
  for (const f of runs) {
    f.system.labels.forEach((l, i) => counts.set(l, (counts.get(l) ?? 0) + (f.result.coverage[i] ?? 0)));
  }
  const gaps = [...counts].filter(([, n]) => n === 0).map(([l]) => l);
  return { counts, gaps };
}

export async function runCheckCommand(argv: string[], builtin: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    ...SCENARIO_INPUT_OPTIONS,
    design: { type: 'string' },
    mutation: { type: 'string' },
    json: { type: 'boolean', default: false },
    coverage: { type: 'boolean', default: false },
    trace: { type: 'string' },
    html: { type: 'string' },
    'max-states': { type: 'string' },
    'time-limit': { type: 'string' },
    'no-progress': { type: 'boolean', default: false },
    fairness: { type: 'string' },
    list: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    ...CHECK_VIEW_OPTIONS,
    ...PARALLEL_FLAGS,
  });
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT_OK;
  }
  const maxStates = positiveInteger('max-states', values['max-states']);
  const timeLimit = positiveSeconds('time-limit', values['time-limit']);
  const { source, defaultScenarios } = applyScenarioInputs(builtin, {
    scenarioFiles: values['scenario-file'], regressions: values.regressions, protocol: values.protocol, zspageLayout: values['zspage-layout'],
  });
  // `check --scenario-file F` runs F's scenarios; `--list` with files shows them beside the built-ins.
  // --mutation alone picks the mutation's own scenarios; --all-scenarios every scenario.
  const selected = positionals.length > 0 || values.list || values.mutation !== undefined ? positionals : defaultScenarios;
  const runs = planRuns(source, { scenarios: selected, design: values.design, mutation: values.mutation, allScenarios: values['all-scenarios'] });
  const format = traceFormat(values['trace-format']);
  if (values['trace-format'] !== undefined && values.trace === undefined) throw new InputError('--trace-format needs --trace FILE');
  // A bad output path is reported now, not after a long exploration.
  validateOutputPath(values.trace, 'trace file');
  if (values.trace !== undefined && format === 'itf') validateOutputPath(itfPath(values.trace), 'ITF trace');
  validateOutputPath(values.html, 'HTML trace');
  const color = !values.json && colorWanted(process.stdout, values['no-color']);
  const p = palette(color);

  if (values.list) {
    const rows = runs.map((r) => [r.scenario.id, r.design, r.mutations.join('+') || '-', expectationText(r.expected), r.scenario.title]);
    if (values.json) process.stdout.write(`${JSON.stringify(runs.map((r) => ({ scenario: r.scenario.id, design: r.design, mutations: r.mutations, expected: r.expected, title: r.scenario.title })), null, 2)}\n`);
    else process.stdout.write(`${renderTable([{ header: 'scenario' }, { header: 'design' }, { header: 'mutations', optional: true }, { header: 'expected' }, { header: 'title' }], rows, { maxWidth: outputWidth(), wrap: 4 })}\n`);
    return EXIT_OK;
  }

  const fairness = values.fairness;
  if (fairness !== undefined && fairness !== 'weak' && fairness !== 'strong' && fairness !== 'none') {
    throw new InputError(`memdesc-mc check: --fairness must be weak, strong or none, got '${fairness}'`);
  }
  const cliOptions: CheckOptions = {
    ...(values['no-progress'] ? { checkProgress: false } : {}),
    ...(fairness !== undefined ? { fairness } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(timeLimit !== undefined ? { timeLimitMs: Math.round(timeLimit * 1000) } : {}),
  };
  const parallel = parseParallelFlags(values, runs);
  if (parallel.shard !== undefined || parallel.swarm !== undefined) {
    return runShardOrSwarm(source, runs[0], cliOptions, parallel, { json: values.json, color, trace: values.trace });
  }
  const showProgress = ProgressLine.wanted(values.json);
  const finished: FinishedRun[] = [];
  // Rows appear as runs finish; widths come from what is known before running.
  const table = values.json ? undefined : new StreamingTable(CHECK_COLUMNS, [
    Math.max(...runs.map((r) => checkRowName(r).length)),
    Math.max(...runs.map((r) => r.design.length)),
    Math.max(10, ...runs.map((r) => expectationText(r.expected).length)),
    9, 11, 5, 7, 9,
  ], (line) => process.stdout.write(`${line}\n`), { maxWidth: outputWidth(), wrap: 0 });
  // Ctrl-C: a search in this thread is interrupted (node:vm breakOnSigint) and reports how far it
  // got; runs on worker threads report only which runs finished.
  let current: { run: PlannedRun; tracker: ProgressTracker } | undefined;
  const onPoolSigint = () => {
    const out = values.json ? process.stderr : process.stdout;
    out.write(`\ninterrupted: ${finished.length} of ${runs.length} run(s) finished; runs on worker threads report no partial statistics (--workers 1 does)\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onPoolSigint);
  try {
    await executeRuns(source, runs, cliOptions, parallel.workers, (f) => {
      finished.push(f);
      table?.row(checkRow(f, color));
    }, (run) => {
      const progress = showProgress ? new ProgressLine(process.stderr, runTitle(run)) : undefined;
      current = { run, tracker: new ProgressTracker(progress?.update) };
      return { update: current.tracker.update, clear: () => progress?.clear() };
    }, (search) => runInterruptibly(search));
  } catch (e) {
    if (!(e instanceof Interrupted) || !current) throw e;
    // No half-drawn progress line; how far this run got, and what finished before it.
    if (showProgress) process.stderr.write('\r\x1b[K');
    const out = values.json ? process.stderr : process.stdout;
    out.write(`\n${partialStats(runTitle(current.run), current.tracker.last)}\n${finished.length} of ${runs.length} run(s) finished before the interruption\n`);
    return EXIT_INTERRUPTED;
  } finally {
    process.removeListener('SIGINT', onPoolSigint);
  }

  const firstViolation = finished.find((f) => f.result.violation);
  if (values.trace !== undefined && firstViolation) writeTraceFile(values.trace, traceFileOf(source, firstViolation));
  if (values.trace !== undefined && firstViolation && format === 'itf') writeItf(itfPath(values.trace), firstViolation);
  if (values.html !== undefined && firstViolation) {
    writeOutputFile(values.html, renderTraceHtml(walkViolation(source, firstViolation, { raw: values.raw })), 'HTML trace');
  }
  const allMet = finished.every((f) => f.met);
  const exitCode = runsExitCode(finished);

  if (values.json) {
    const doc = {
      met: allMet,
      runs: finished.map((f) => ({
        ...runJson(f, values.coverage),
        // CI logs get the counterexample itself, in the trace file format.
        ...((!f.met || values['show-trace']) && f.result.violation ? { trace: traceFileOf(source, f) } : {}),
      })),
      ...(values.coverage ? { coverageGaps: coverageReport(finished).gaps } : {}),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const out = violationSections(source, finished, {
      showTrace: values['show-trace'], raw: values.raw, color, mutationAsked: values.mutation !== undefined && !values['all-scenarios'],
    });
    if (values.coverage) {
      const { counts, gaps } = coverageReport(finished);
      out.push('', p.bold('Coverage (transitions per step label, over every run):'));
      out.push(renderTable([{ header: 'label' }, { header: 'transitions', align: 'right' }], [...counts].map(([l, n]) => [n === 0 ? p.red(l) : l, formatCount(n)])));
      out.push(gaps.length === 0 ? 'every step label was reached' : `${gaps.length} step label(s) never reached (gaps): ${gaps.join(', ')}`);
    }
    out.push('', ...summaryLines(finished, color));
    if (values.trace !== undefined) out.push(firstViolation ? `trace written to ${values.trace}` : `no violation: ${values.trace} not written`);
    if (values.trace !== undefined && firstViolation && format === 'itf') out.push(`ITF trace written to ${itfPath(values.trace)}`);
    if (values.html !== undefined) out.push(firstViolation ? `HTML trace written to ${values.html}` : `no violation: ${values.html} not written`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return exitCode;
}
