import { readTraceFile, TraceFileError, type TraceFile } from '../report/trace-file.js';
import { InputError } from './errors.js';
import type { ScenarioLike, ScenarioSource } from './source.js';

/** A trace file read and validated; a bad file is bad input naming the file. */
export function loadTraceFile(file: string): TraceFile {
  try {
    return readTraceFile(file);
  } catch (e) {
    if (e instanceof TraceFileError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * The scenario a trace file was recorded on: the registry's, with the file's own definition
 * (a minimized scenario) laid over it when the file carries one.
 */
export function traceScenario(source: ScenarioSource, f: TraceFile, file: string): ScenarioLike {
  const registered = source.findScenario(f.scenario);
  if (!registered && !f.scenarioDefinition) throw new InputError(`${file}: scenario '${f.scenario}' is not in the registry`);
  if (!source.designs.includes(f.design)) throw new InputError(`${file}: unknown design '${f.design}' (designs: ${source.designs.join(', ')})`);
  for (const m of f.mutations) {
    if (!source.mutations.some((x) => x.id === m)) throw new InputError(`${file}: unknown mutation '${m}'`);
  }
  const base = registered ?? { id: f.scenario, title: f.scenario, description: '', designs: [f.design], expect: {}, threads: [] };
  return { ...base, ...(f.scenarioDefinition ?? {}), id: f.scenario } as ScenarioLike;
}
