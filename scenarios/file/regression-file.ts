/**
 * Saved regressions as files the user owns (format `memdesc-mc-regression/1`): a scenario in the
 * scenario file format, expecting the violation a trace showed, plus that trace by name
 * (thread, step label, choice). `memdesc-mc save` writes them into a folder of the user's
 * choosing and `check --regressions DIR` runs them: no rebuild, nothing written into the package.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../model/zsmalloc/designs.js';
import type { MutationId } from '../../model/zsmalloc/mutations/index.js';
import type { Scenario } from '../zsmalloc/types.js';
import { compactJson } from '../../report/compact-json.js';
import { readBoundedText } from './bounded-read.js';
import { scenarioFromJson, ScenarioFileError, scenarioToJson, type ScenarioFileJson } from './scenario-file.js';

export const REGRESSION_FORMAT = 'memdesc-mc-regression/1';

/** The counterexample a regression was saved from. */
export interface SavedTrace {
  readonly design: Design;
  readonly mutations: readonly MutationId[];
  readonly initial: number;
  readonly steps: readonly { readonly index: number; readonly thread: string; readonly label: string; readonly choice: number }[];
  readonly violation: { readonly kind: string; readonly invariant: string; readonly step: number; readonly message: string };
}

export interface Regression {
  readonly scenario: Scenario;
  readonly trace: SavedTrace;
  /** Where it was read from. */
  readonly file?: string;
}

export interface RegressionFileJson {
  readonly format: typeof REGRESSION_FORMAT;
  readonly scenario: ScenarioFileJson;
  readonly trace: SavedTrace;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The trace part: checked field by field (own properties only), one line on a mistake. */
function savedTrace(v: unknown, file: string): SavedTrace {
  const fail = (path: string, what: string): never => {
    throw new ScenarioFileError(`${file}: /trace${path}: ${what}`);
  };
  if (!isObject(v)) fail('', 'must be an object');
  const t = v as Record<string, unknown>;
  const int = (k: string, o: Record<string, unknown>, at: string): number => {
    const x = Object.hasOwn(o, k) ? o[k] : undefined;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) fail(`${at}/${k}`, 'must be a non-negative integer');
    return x as number;
  };
  const str = (k: string, o: Record<string, unknown>, at: string): string => {
    const x = Object.hasOwn(o, k) ? o[k] : undefined;
    if (typeof x !== 'string') fail(`${at}/${k}`, 'must be a string');
    return x as string;
  };
  const design = str('design', t, '') as Design;
  const muts = Object.hasOwn(t, 'mutations') ? t.mutations : undefined;
  if (!Array.isArray(muts) || !muts.every((m) => typeof m === 'string')) fail('/mutations', 'must be an array of mutation ids');
  const steps = Object.hasOwn(t, 'steps') ? t.steps : undefined;
  if (!Array.isArray(steps)) fail('/steps', 'must be an array');
  const viol = Object.hasOwn(t, 'violation') ? t.violation : undefined;
  if (!isObject(viol)) fail('/violation', 'must be an object');
  const vo = viol as Record<string, unknown>;
  return {
    design,
    mutations: muts as MutationId[],
    initial: int('initial', t, ''),
    steps: (steps as unknown[]).map((s, i) => {
      if (!isObject(s)) fail(`/steps/${i}`, 'must be an object');
      const so = s as Record<string, unknown>;
      return { index: int('index', so, `/steps/${i}`), thread: str('thread', so, `/steps/${i}`), label: str('label', so, `/steps/${i}`), choice: int('choice', so, `/steps/${i}`) };
    }),
    violation: { kind: str('kind', vo, '/violation'), invariant: str('invariant', vo, '/violation'), step: int('step', vo, '/violation'), message: str('message', vo, '/violation') },
  };
}

export function parseRegressionText(text: string, file: string): Regression {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(value)) throw new ScenarioFileError(`${file}: /: must be an object`);
  if (value.format !== REGRESSION_FORMAT) throw new ScenarioFileError(`${file}: /format: must be "${REGRESSION_FORMAT}", found ${JSON.stringify(value.format)}`);
  for (const k of Object.keys(value)) {
    if (!['format', 'scenario', 'trace'].includes(k)) throw new ScenarioFileError(`${file}: /: has an unknown property '${k}'`);
  }
  let scenario: Scenario;
  try {
    scenario = scenarioFromJson(Object.hasOwn(value, 'scenario') ? value.scenario : undefined, file);
  } catch (e) {
    // Paths inside the scenario are relative to /scenario.
    if (e instanceof ScenarioFileError) throw new ScenarioFileError(e.message.replace(`${file}: /`, `${file}: /scenario/`).replace(/\/scenario\/: /, '/scenario: '));
    throw e;
  }
  const trace = savedTrace(Object.hasOwn(value, 'trace') ? value.trace : undefined, file);
  if (!scenario.designs.includes(trace.design)) throw new ScenarioFileError(`${file}: /trace/design: '${trace.design}' is not among the scenario's designs`);
  return { scenario, trace, file };
}

export function readRegressionFile(file: string): Regression {
  return parseRegressionText(readBoundedText(file, (m) => new ScenarioFileError(m)), file);
}

/** Every *.json regression in `dir`, by file name. */
export function readRegressionDir(dir: string): Regression[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new ScenarioFileError(`${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new ScenarioFileError(`${dir}: not a folder of regressions`);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => readRegressionFile(join(dir, f)));
}

/** JSON laid out for people (short values on one line, one trace step per line): diffs well. */
export function serializeRegression(r: { scenario: Scenario; trace: SavedTrace }): string {
  const doc: RegressionFileJson = { format: REGRESSION_FORMAT, scenario: scenarioToJson(r.scenario), trace: r.trace };
  return `${compactJson(doc, 110)}\n`;
}
