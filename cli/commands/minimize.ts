/**
 * `memdesc-mc minimize SCENARIO [--design D] [--mutation M] [--extra-threads N]`: the
 * smallest variant of a violating scenario (fewer threads, fewer operations, smaller pool) that
 * still breaks the same invariant, and its shortest trace.
 */
import { colorWanted } from '../../report/color.js';
import { compactJson } from '../../report/compact-json.js';
import { applyScenarioInputs, SCENARIO_INPUT_OPTIONS } from '../scenario-inputs.js';
import { renderTraceHtml } from '../../report/html.js';
import { renderTraceText } from '../../report/trace-text.js';
import { nonNegativeInteger, parseCommandArgs } from '../args.js';
import { EXIT_FAILED, EXIT_OK, InputError } from '../errors.js';
import { minimizeScenario, NotViolatingError, scenarioDefinition } from '../minimize.js';
import { requireDesign, requireMutation, requireScenario, runOptions, walkViolation, type FinishedRun } from '../runs.js';
import { scenarioMutations, type ScenarioSource } from '../source.js';
import { traceFileOf, writeOutputFile, writeTraceFile } from '../trace-output.js';
import { validateOutputPath } from '../check-view.js';

export const MINIMIZE_USAGE = `usage: memdesc-mc minimize SCENARIO [--design D] [--mutation M] [--extra-threads N]
                           [--trace FILE] [--html FILE] [--json] [--scenario-file F] [--protocol S=V]
                           [--zspage-layout F]
  Shrinks a violating scenario (threads, operations, setup, pool) while it still violates the
  same invariant; prints the smaller scenario and its shortest trace.
  --design D         the design to minimize under (needed only when the scenario has several)
  --mutation M       also apply mutation M
  --extra-threads N  first add N threads unrelated to the bug (to see them minimized away)
  --trace FILE       write the minimized counterexample's trace file (it carries the scenario)`;

export async function runMinimizeCommand(argv: string[], builtin: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('minimize', argv, {
    ...SCENARIO_INPUT_OPTIONS,
    scenario: { type: 'string' },
    design: { type: 'string' },
    mutation: { type: 'string' },
    'extra-threads': { type: 'string' },
    trace: { type: 'string' },
    html: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${MINIMIZE_USAGE}\n`);
    return EXIT_OK;
  }
  const { source, defaultScenarios } = applyScenarioInputs(builtin, {
    scenarioFiles: values['scenario-file'], regressions: values.regressions, protocol: values.protocol, zspageLayout: values['zspage-layout'],
  });
  // The scenario is positional, as in check; --scenario ID is still accepted; a single
  // --scenario-file needs neither.
  const ids = [...positionals, ...(values.scenario !== undefined ? [values.scenario] : [])];
  if (ids.length === 0 && defaultScenarios.length === 1) ids.push(defaultScenarios[0]);
  if (ids.length !== 1) throw new InputError(`memdesc-mc minimize: expected one scenario, got ${ids.length} (memdesc-mc minimize SCENARIO [--design D])`);
  const base = requireScenario(source, ids[0]);
  if (values.design === undefined && base.designs.length > 1) {
    throw new InputError(`memdesc-mc minimize: scenario '${base.id}' runs under ${base.designs.join(', ')}: choose one with --design`);
  }
  const design = requireDesign(source, values.design ?? base.designs[0])!;
  if (!base.designs.includes(design)) throw new InputError(`scenario '${base.id}' does not run under design ${design} (it runs under ${base.designs.join(', ')})`);
  const mutation = requireMutation(source, values.mutation);
  // Minimizing runs many checks: a bad output path is reported before them.
  validateOutputPath(values.trace, 'trace file');
  validateOutputPath(values.html, 'HTML trace');
  const extra = nonNegativeInteger('extra-threads', values['extra-threads']) ?? 0;
  if (extra > 0 && !source.padScenario) throw new InputError('--extra-threads: this scenario source cannot add threads');
  const scenario = extra > 0 ? source.padScenario!(base, extra) : base;
  const mutations = [...new Set([...scenarioMutations(base), ...(mutation ? [mutation.id] : [])])];
  const run = { scenario, design, mutations, expected: { holds: true } as const };
  const options = runOptions(source, run, {});

  let outcome;
  try {
    outcome = minimizeScenario(source, { scenario, design, mutations, options });
  } catch (e) {
    if (e instanceof NotViolatingError) throw new InputError(e.message);
    throw e;
  }
  const system = source.buildSystem({ scenario: outcome.minimized, design, mutations });
  const finished: FinishedRun = {
    run: { scenario: outcome.minimized, design, mutations, expected: { violates: outcome.invariant } },
    system, options, result: outcome.result, met: true,
  };
  const definition = scenarioDefinition(outcome.minimized);
  if (values.trace !== undefined) writeTraceFile(values.trace, traceFileOf(source, finished, definition));
  if (values.html !== undefined) writeOutputFile(values.html, renderTraceHtml(walkViolation(source, finished)), 'HTML trace');
  const before = scenarioDefinition(scenario);
  // The minimized scenario as a scenario file expecting what it showed: save it, re-run it
  // with check --scenario-file.
  const minimizedFile = source.scenarioToJson?.({
    ...outcome.minimized, id: `${base.id}-min`, title: `${base.title} (minimized)`, designs: [design],
    mutation: mutations[0], expect: { [design]: { violates: outcome.invariant } },
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({
      scenario: base.id, design, mutations, invariant: outcome.invariant, attempts: outcome.attempts,
      original: before, minimized: definition, ...(minimizedFile ? { scenarioFile: minimizedFile } : {}), traceLength: outcome.result.violation!.trace.steps.length,
    }, null, 2)}\n`);
    return EXIT_FAILED;
  }
  const ops = (d: typeof before) => d.threads.reduce((n, t) => n + t.ops.length, 0);
  const out = [
    `${base.id} (${design}${mutations.length ? `, mutation ${mutations.join('+')}` : ''}) violates ${outcome.invariant}`,
    `minimized in ${outcome.attempts} checks: ${before.threads.length} → ${definition.threads.length} threads, ${ops(before)} → ${ops(definition)} operations${shrunkText(before, definition)}`,
    '',
    minimizedFile ? 'Minimized scenario (a scenario file: memdesc-mc check --scenario-file FILE):' : 'Minimized scenario:',
    compactJson(minimizedFile ?? definition, 100),
    '',
    renderTraceText(walkViolation(source, finished), { color: colorWanted(process.stdout, values['no-color']) }),
  ];
  if (values.trace !== undefined) out.push(`trace written to ${values.trace}`);
  process.stdout.write(`${out.join('\n')}\n`);
  // A violation was found (and minimized): the same exit as check's unexpected violation.
  return EXIT_FAILED;
}

/** What else shrank, each figure with its unit: setup operations and the pool's counts. */
function shrunkText(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const parts: string[] = [];
  const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (len(before.setup) !== len(after.setup)) parts.push(`${len(before.setup)} → ${len(after.setup)} setup operations`);
  for (const key of ['shape', 'pool']) {
    const b = before[key] as Record<string, unknown> | undefined;
    const a = after[key] as Record<string, unknown> | undefined;
    if (!b || !a) continue;
    for (const [k, v] of Object.entries(b)) {
      const w = a[k];
      const n = (x: unknown) => (typeof x === 'number' ? x : Array.isArray(x) ? x.length : undefined);
      if (n(v) !== undefined && n(w) !== undefined && n(v) !== n(w)) parts.push(`${n(v)} → ${n(w)} ${unitOf(k)}`);
    }
  }
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** `pageFrames` → `page frames`, `classes` → `size classes`. */
function unitOf(key: string): string {
  if (key === 'classes') return 'size classes';
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
