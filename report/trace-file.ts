import { InputFileError, readInputText } from '../model/io/read-input.js';
import type { Trace, TransitionSystem, ViolationKind } from '../explorer/index.js';
import schemaJson from './trace-schema.json' with { type: 'json' };
import { assertSupportedSchema, validate, type JsonSchema } from './schema.js';

export const TRACE_FORMAT = 'memdesc-mc-trace/1';
export const traceSchema: JsonSchema = schemaJson as JsonSchema;
assertSupportedSchema(traceSchema);

export interface TraceFileStep {
  readonly index: number;
  readonly thread: string;
  readonly label: string;
  readonly choice: number;
}

export interface TraceFileViolation {
  readonly kind: ViolationKind;
  readonly invariant: string;
  readonly step: number;
  readonly message: string;
  readonly description?: string;
}

/** The versioned trace file (schema: report/trace-schema.json). */
export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly tool?: string;
  readonly scenario: string;
  readonly scenarioDefinition?: { readonly threads: readonly { name: string; ops: readonly unknown[] }[]; readonly [k: string]: unknown };
  readonly design: string;
  readonly mutations: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly threads?: readonly string[];
  readonly initial: number;
  readonly steps: readonly TraceFileStep[];
  /** A lasso: the steps from this index on repeat for ever (see Trace.loop). */
  readonly loop?: number;
  readonly violation: TraceFileViolation;
}

/** A trace file that cannot be read: the message names the file and the problem. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

export interface TraceFileInput {
  readonly tool?: string;
  readonly scenario: string;
  readonly scenarioDefinition?: TraceFile['scenarioDefinition'];
  readonly design: string;
  readonly mutations: readonly string[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly system: TransitionSystem;
  readonly trace: Trace;
  readonly violation: TraceFileViolation;
}

/** Steps by name (thread, label), so a file reads on its own and survives renumbering. */
export function toTraceFile(i: TraceFileInput): TraceFile {
  return {
    format: TRACE_FORMAT,
    ...(i.tool ? { tool: i.tool } : {}),
    scenario: i.scenario,
    ...(i.scenarioDefinition ? { scenarioDefinition: i.scenarioDefinition } : {}),
    design: i.design,
    mutations: [...i.mutations],
    options: { ...(i.options ?? {}) },
    threads: [...i.system.threads],
    initial: i.trace.initial,
    steps: i.trace.steps.map((s) => ({
      index: s.index,
      thread: i.system.threads[s.action.thread],
      label: i.system.labels[s.action.label],
      choice: s.action.choice,
    })),
    ...(i.trace.loop !== undefined ? { loop: i.trace.loop } : {}),
    violation: { ...i.violation },
  };
}

/** Pretty JSON with one line per step: a 60-step trace stays readable in a diff. */
export function serializeTraceFile(f: TraceFile): string {
  const { steps, ...rest } = f;
  const head = JSON.stringify({ ...rest, steps: [] }, null, 2);
  const lines = steps.map((s) => `    ${JSON.stringify(s)}`).join(',\n');
  return `${head.replace('"steps": []', steps.length > 0 ? `"steps": [\n${lines}\n  ]` : '"steps": []')}\n`;
}

/** Parses and validates a trace file's text; errors name `file`. */
export function parseTraceFile(text: string, file: string): TraceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(e as Error).message.split('\n')[0]})`;
    throw new TraceFileError(`${file}: not a memdesc-mc trace: ${why}`);
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const format = (doc as Record<string, unknown>).format;
    if (typeof format === 'string' && format !== TRACE_FORMAT) {
      throw new TraceFileError(`${file}: trace format '${format}' is not supported (this memdesc-mc reads '${TRACE_FORMAT}')`);
    }
  }
  const problem = validate(traceSchema, doc);
  if (problem) throw new TraceFileError(`${file}: not a valid ${TRACE_FORMAT} trace: ${problem}`);
  const f = doc as TraceFile;
  if (f.violation.step > f.steps.length) {
    throw new TraceFileError(`${file}: violation.step ${f.violation.step} is beyond the ${f.steps.length} steps of the trace (truncated?)`);
  }
  if (f.loop !== undefined && f.loop > f.steps.length) {
    throw new TraceFileError(`${file}: loop ${f.loop} is beyond the ${f.steps.length} steps of the trace (truncated?)`);
  }
  return f;
}

/** Largest trace file read: a 10,000-step trace is under 1 MiB. */
export const MAX_TRACE_BYTES = 64 << 20;

export function readTraceFile(file: string): TraceFile {
  let text: string;
  try {
    text = readInputText(file, { maxBytes: MAX_TRACE_BYTES });
  } catch (e) {
    if (e instanceof InputFileError) throw new TraceFileError(`${file}: cannot read the trace file (${e.reason})`);
    throw e;
  }
  return parseTraceFile(text, file);
}

/** A named step of a file that the rebuilt system does not know. */
export interface UnresolvedStep {
  readonly step: number;
  readonly reason: string;
}

/**
 * Turns the file's named steps back into the engine's actions for `system`. A thread or label
 * name the system does not have is a divergence at that step, not a malformed file: the model
 * changed since the trace was written.
 */
export function resolveTrace(system: TransitionSystem, f: TraceFile): { trace: Trace } | { unresolved: UnresolvedStep } {
  const threadIds = new Map(system.threads.map((t, i) => [t, i]));
  const labelIds = new Map(system.labels.map((l, i) => [l, i]));
  const steps = [];
  for (let i = 0; i < f.steps.length; i++) {
    const s = f.steps[i];
    const thread = threadIds.get(s.thread);
    if (thread === undefined) return { unresolved: { step: i, reason: `the model has no thread '${s.thread}' (threads: ${system.threads.join(', ')})` } };
    const label = labelIds.get(s.label);
    if (label === undefined) return { unresolved: { step: i, reason: `the model has no step label '${s.label}'` } };
    steps.push({ index: s.index, action: { thread, label, choice: s.choice } });
  }
  return { trace: { initial: f.initial, steps, ...(f.loop !== undefined ? { loop: f.loop } : {}) } };
}
