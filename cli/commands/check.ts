/**
 * `memdesc-mc check [scenario…]`: every interleaving of each scenario under each design it
 * lists; one table row per run, the shortest trace of every unexpected violation.
 * Exit 0: every expectation met; 1: one is not; 2: bad input.
 */
import { match } from 'ts-pattern';
import type { CheckOptions, CheckResult } from '../../explorer/index.js';
import { colorWanted, palette } from '../../report/color.js';
import { formatCount, formatSeconds, renderTable, StreamingTable } from '../../report/table.js';
import { renderTraceText } from '../../report/trace-text.js';
import { parseCommandArgs, positiveInteger, positiveSeconds } from '../args.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { ProgressLine } from '../progress.js';
import { expectationText, planRuns, runTitle, walkViolation, type FinishedRun, type PlannedRun } from '../runs.js';
import type { ScenarioSource } from '../source.js';
import { traceFileOf, writeOutputFile, writeTraceFile } from '../trace-output.js';
import { renderTraceHtml } from '../../report/html.js';
import { executeRuns } from '../parallel-runs.js';
import { parseParallelFlags, PARALLEL_FLAGS, runShardOrSwarm } from '../shard-swarm.js';

export const CHECK_USAGE = `usage: memdesc-mc check [scenario…] [--design D] [--mutation M] [--json] [--coverage]
                        [--trace FILE] [--html FILE] [--max-states N] [--time-limit S] [--list]
                        [--workers N] [--shard I/N [--shard-depth D] [--fingerprints FILE]]
                        [--swarm K [--seed S]]
  Explores every interleaving of each scenario (default: all) under each design it lists.
  --design D        only this design (legacy, zpdesc, memdesc)
  --mutation M      apply mutation M (a re-created kernel bug); expect its invariant to break
  --json            one JSON document on stdout
  --coverage        per step label: transitions that took it; labels never reached are gaps
  --trace FILE      write the first violation's trace file (replay it with memdesc-mc replay)
  --html FILE       write the first violation's trace as a self-contained HTML page
  --max-states N    stop a run after N distinct states (verdict: incomplete)
  --time-limit S    stop a run after S seconds (verdict: incomplete)
  --list            list the scenarios and their expectations, run nothing
  --workers N       worker threads (default: the number of cores): several runs share them,
                    one run becomes one parallel search (same verdict, states and trace length)
  --shard I/N       explore shard I of N of one run (split by state hash at --shard-depth);
                    writes its visited fingerprints to --fingerprints FILE; combine: memdesc-mc merge
  --shard-depth D   split at depth D (default: the first level with 64 states per shard)
  --swarm K         K randomized searches (seeds --seed S, S+1, …; S default 1) instead of one
                    exhaustive search; never reports holds
  --no-color        no colour even on a terminal (NO_COLOR is honoured too)`;

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
  const result = f.met ? p.green('ok') : p.red(`UNEXPECTED (expected ${expectationText(f.run.expected)})`);
  return [
    checkRowName(f.run),
    f.run.design,
    f.met ? verdict : p.red(verdict),
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
  { header: 'states', align: 'right' }, { header: 'transitions', align: 'right' }, { header: 'depth', align: 'right' },
  { header: 'seconds', align: 'right' }, { header: 'states/s', align: 'right' }, { header: 'expectation' },
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

export async function runCheckCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    design: { type: 'string' },
    mutation: { type: 'string' },
    json: { type: 'boolean', default: false },
    coverage: { type: 'boolean', default: false },
    trace: { type: 'string' },
    html: { type: 'string' },
    'max-states': { type: 'string' },
    'time-limit': { type: 'string' },
    list: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    ...PARALLEL_FLAGS,
  });
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT_OK;
  }
  const maxStates = positiveInteger('max-states', values['max-states']);
  const timeLimit = positiveSeconds('time-limit', values['time-limit']);
  const runs = planRuns(source, { scenarios: positionals, design: values.design, mutation: values.mutation });
  const color = !values.json && colorWanted(process.stdout, values['no-color']);
  const p = palette(color);

  if (values.list) {
    const rows = runs.map((r) => [r.scenario.id, r.design, r.mutations.join('+') || '-', expectationText(r.expected), r.scenario.title]);
    if (values.json) process.stdout.write(`${JSON.stringify(runs.map((r) => ({ scenario: r.scenario.id, design: r.design, mutations: r.mutations, expected: r.expected, title: r.scenario.title })), null, 2)}\n`);
    else process.stdout.write(`${renderTable([{ header: 'scenario' }, { header: 'design' }, { header: 'mutations' }, { header: 'expected' }, { header: 'title' }], rows)}\n`);
    return EXIT_OK;
  }

  const cliOptions: CheckOptions = {
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
  ], (line) => process.stdout.write(`${line}\n`));
  await executeRuns(source, runs, cliOptions, parallel.workers, (f) => {
    finished.push(f);
    table?.row(checkRow(f, color));
  }, (run) => (showProgress ? new ProgressLine(process.stderr, runTitle(run)) : undefined));

  const firstViolation = finished.find((f) => f.result.violation);
  if (values.trace !== undefined && firstViolation) writeTraceFile(values.trace, traceFileOf(source, firstViolation));
  if (values.html !== undefined && firstViolation) {
    writeOutputFile(values.html, renderTraceHtml(walkViolation(source, firstViolation)), 'HTML trace');
  }
  const allMet = finished.every((f) => f.met);

  if (values.json) {
    const doc = {
      met: allMet,
      runs: finished.map((f) => ({
        ...runJson(f, values.coverage),
        // CI logs get the counterexample itself, in the trace file format.
        ...(!f.met && f.result.violation ? { trace: traceFileOf(source, f) } : {}),
      })),
      ...(values.coverage ? { coverageGaps: coverageReport(finished).gaps } : {}),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const out: string[] = [];
    for (const f of finished) {
      if (f.met || !f.result.violation) continue;
      out.push('', renderTraceText(walkViolation(source, f), { color }));
    }
    for (const f of finished) {
      if (f.result.verdict === 'incomplete') out.push('', `${runTitle(f.run)}: incomplete: ${f.result.incompleteReason ?? 'a bound was reached'}`);
    }
    if (values.coverage) {
      const { counts, gaps } = coverageReport(finished);
      out.push('', p.bold('Coverage (transitions per step label, over every run):'));
      out.push(renderTable([{ header: 'label' }, { header: 'transitions', align: 'right' }], [...counts].map(([l, n]) => [n === 0 ? p.red(l) : l, formatCount(n)])));
      out.push(gaps.length === 0 ? 'every step label was reached' : `${gaps.length} step label(s) never reached (gaps): ${gaps.join(', ')}`);
    }
    const unmet = finished.filter((f) => !f.met).length;
    out.push('', unmet === 0 ? p.green(`${finished.length} run(s): every expectation met`) : p.red(`${finished.length} run(s): ${unmet} expectation(s) not met`));
    if (values.trace !== undefined) out.push(firstViolation ? `trace written to ${values.trace}` : `no violation: ${values.trace} not written`);
    if (values.html !== undefined) out.push(firstViolation ? `HTML trace written to ${values.html}` : `no violation: ${values.html} not written`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return allMet ? EXIT_OK : EXIT_FAILED;
}
