/**
 * `memdesc-mc replay FILE`: rebuilds the model a trace file names and re-executes its steps one
 * by one, without searching. Exit 1: the same violation at the same step (the bug is still
 * there); 3: the replay diverges (a step is not enabled, another or no violation); 2: bad file.
 */
import { replay, type StateVector } from '../../explorer/index.js';
import { colorWanted } from '../../report/color.js';
import { renderTraceHtml } from '../../report/html.js';
import { renderTraceText } from '../../report/trace-text.js';
import { resolveTrace } from '../../report/trace-file.js';
import { walkTrace } from '../../report/walk.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_DIVERGED, EXIT_FAILED, EXIT_OK, InputError } from '../errors.js';
import { loadTraceFile, traceScenario } from '../load-trace.js';
import { invariantDescription, mutatedLabels } from '../runs.js';
import type { ScenarioSource } from '../source.js';
import { writeOutputFile } from '../trace-output.js';

export const REPLAY_USAGE = `usage: memdesc-mc replay FILE [--json] [--html OUT] [--raw] [--no-color]
  Re-executes the counterexample in trace file FILE step by step on a model rebuilt from it.
  --html OUT   also write the trace as a self-contained HTML page
  --raw        show values as the model stores them (pc, ret, op included), not decoded
  Exit 1: the same violation at the same step; 3: the replay diverges; 2: the file is bad.`;

export async function runReplayCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('replay', argv, {
    json: { type: 'boolean', default: false },
    html: { type: 'string' },
    raw: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new InputError(`memdesc-mc replay: expected one trace file, got ${positionals.length}`);
  const file = positionals[0];
  const f = loadTraceFile(file);
  const scenario = traceScenario(source, f, file);
  let system;
  try {
    system = source.buildSystem({ scenario, design: f.design, mutations: f.mutations });
  } catch (e) {
    throw new InputError(`${file}: cannot rebuild scenario '${f.scenario}' under ${f.design}: ${(e as Error).message.split('\n')[0]}`);
  }
  const want = f.violation;
  const stepName = (i: number) => {
    const s = f.steps[i];
    return s ? `step ${i + 1} (${s.thread} ${s.label}${s.choice ? `#${s.choice}` : ''})` : `step ${i + 1}`;
  };

  let outcome: { diverged: string; step: number } | { states: StateVector[] };
  const resolved = resolveTrace(system, f);
  if ('unresolved' in resolved) {
    outcome = { diverged: `${stepName(resolved.unresolved.step)}: ${resolved.unresolved.reason}`, step: resolved.unresolved.step + 1 };
  } else {
    const checkDeadlock = typeof f.options.checkDeadlock === 'boolean' ? f.options.checkDeadlock : undefined;
    const fairness = f.options.fairness === 'none' || f.options.fairness === 'weak' || f.options.fairness === 'strong' ? f.options.fairness : undefined;
    const r = replay(system, resolved.trace, { checkDeadlock, fairness, ...(f.loop !== undefined ? { property: want.invariant } : {}) });
    if (r.divergence && r.states.length === 0) {
      outcome = { diverged: `the initial state: ${r.divergence.reason}`, step: 0 };
    } else if (r.divergence) {
      outcome = { diverged: `${stepName(r.divergence.step)} cannot be taken: ${r.divergence.reason}`, step: r.divergence.step + 1 };
    } else if (!r.violation) {
      outcome = { diverged: `all ${f.steps.length} steps replayed but ${want.invariant} was not violated`, step: f.steps.length };
    } else if (r.violation.invariant !== want.invariant || r.violation.step !== want.step) {
      const at = (n: number) => (n === 0 ? 'the initial state' : `step ${n}`);
      outcome = {
        diverged: `${at(r.violation.step)} violates ${r.violation.invariant} (${r.violation.message}); the trace expects ${want.invariant} at ${at(want.step)}`,
        step: r.violation.step,
      };
    } else {
      outcome = { states: r.states };
    }
    if ('states' in outcome) {
      const walked = walkTrace(system, resolved.trace, outcome.states, `Replay of ${file}: ${f.scenario} (${f.design}${f.mutations.length ? `, mutation ${f.mutations.join('+')}` : ''}), ${f.steps.length} steps`, {
        step: want.step, kind: r.violation!.kind, invariant: r.violation!.invariant, message: r.violation!.message,
        description: invariantDescription(source, system, want.invariant) ?? want.description,
      }, { raw: values.raw, mutatedLabels: mutatedLabels(source, f.mutations), mutations: f.mutations });
      if (values.html !== undefined) writeOutputFile(values.html, renderTraceHtml(walked), 'HTML trace');
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ file, reproduced: true, invariant: want.invariant, step: want.step, message: r.violation!.message }, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderTraceText(walked, { color: colorWanted(process.stdout, values['no-color']) })}\nreplayed: the same violation of ${want.invariant} at step ${want.step}\n`);
      }
      return EXIT_FAILED;
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ file, reproduced: false, divergence: { step: outcome.step, reason: outcome.diverged } }, null, 2)}\n`);
  } else {
    process.stdout.write(`${file}: replay diverges: ${outcome.diverged}\n`);
  }
  return EXIT_DIVERGED;
}
