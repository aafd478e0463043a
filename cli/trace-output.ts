import { writeFileSync } from 'node:fs';
import { serializeTraceFile, toTraceFile, type TraceFile } from '../report/trace-file.js';
import { InputError } from './errors.js';
import { invariantDescription, recordedOptions, type FinishedRun } from './runs.js';
import type { ScenarioLike, ScenarioSource } from './source.js';
import { toolVersion } from './version.js';

/** The trace file of a finished run's violation. `definition`: the scenario when it is not the
 *  registry's (a minimized one). */
export function traceFileOf(source: ScenarioSource, f: FinishedRun, definition?: TraceFile['scenarioDefinition']): TraceFile {
  const v = f.result.violation!;
  return toTraceFile({
    tool: `memdesc-mc ${toolVersion()}`,
    scenario: f.run.scenario.id,
    // A scenario from the user's files or with command-line protocol settings is not in the
    // registry replay will load: the trace file carries it whole.
    scenarioDefinition: definition ?? (f.run.scenario.origin !== undefined ? embedded(f.run.scenario) : undefined),
    design: f.run.design,
    mutations: f.run.mutations,
    options: recordedOptions(f.options),
    system: f.system,
    trace: v.trace,
    violation: {
      kind: v.kind,
      invariant: v.invariant,
      step: v.trace.steps.length,
      message: v.message,
      ...(invariantDescription(source, f.system, v.invariant) ? { description: invariantDescription(source, f.system, v.invariant) } : {}),
    },
  });
}

function embedded(s: ScenarioLike): TraceFile['scenarioDefinition'] {
  const { id: _id, origin: _origin, ...rest } = s;
  return JSON.parse(JSON.stringify(rest)) as TraceFile['scenarioDefinition'];
}

/** Writes `text` to `file`; an unwritable path is bad input (one line, exit 2). */
export function writeOutputFile(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot write the ${what} (${code ?? (e as Error).message})`);
  }
}

export function writeTraceFile(file: string, t: TraceFile): void {
  writeOutputFile(file, serializeTraceFile(t), 'trace file');
}
