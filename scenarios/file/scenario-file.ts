/**
 * Scenario files: a scenario as JSON the user owns (format `memdesc-mc-scenario/1`, schema in
 * scenario-schema.json beside this module). Reading validates the shape against the schema and
 * then what a schema cannot say (a handle beyond the pool, a mutation of another design, an
 * invariant the design does not have); every error is one line naming the file and the JSON
 * path. Writing is the inverse, so built-in scenarios, minimized scenarios and saved
 * regressions all use the one format.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { assertSupportedSchema, validate, type JsonSchema } from '../../report/schema.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import { findMutation, isMutationId } from '../../model/zsmalloc/mutations/index.js';
import { fixedProtocol, type ProtocolOptions } from '../../model/zsmalloc/memdesc/options.js';
import { BUILTIN_LAYOUTS, resolveZspageLayout, ZspageLayoutError, type ZspageLayout } from '../../model/zsmalloc/memdesc/zspage-layout.js';
import type { Op } from '../../model/zsmalloc/program.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';
import { validatePool, type PoolShape } from '../../model/zsmalloc/shape.js';
import { invariantCatalogue, progressCatalogue } from '../../invariants/zsmalloc/index.js';
import type { ViolationKind } from '../../explorer/index.js';
import type { Expectation, Scenario } from '../zsmalloc/types.js';
import { readBoundedText } from './bounded-read.js';
import schemaJson from './scenario-schema.json' with { type: 'json' };

export const SCENARIO_FORMAT = 'memdesc-mc-scenario/1';
export const DEFAULT_MAX_STATES = 1_000_000;
/** The model's payload values are 1..7 (a 3-bit data word per unit). */
const MAX_PAYLOAD = 7;

/** What a scenario may expect to be violated: an invariant of the catalogue, a progress
 *  property, or `non-progress` (a reachable loop no run leaves, checked under every design). */
export function expectableProperty(name: string): { readonly designs?: readonly Design[] } | undefined {
  // The engine names a non-progress violation after its kind.
  const nonProgress: ViolationKind = 'non-progress';
  if (name === nonProgress) return {};
  return invariantCatalogue.find((x) => x.name === name) ?? progressCatalogue.find((x) => x.name === name);
}

/** A scenario file or text that is not a valid scenario: one line, `FILE: /json/path: what`. */
export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
}

/** The schema with its `$ref`s to `#/$defs/...` inlined: the validator reads a flat schema. */
function inlineRefs(schema: JsonSchema): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === 'string') {
      const name = /^#\/\$defs\/(.+)$/.exec(o.$ref)?.[1];
      const target = name !== undefined && Object.hasOwn(defs, name) ? defs[name] : undefined;
      if (!target) throw new Error(`scenario schema: unresolved $ref ${o.$ref}`);
      return walk(target);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (k !== '$defs') out[k] = walk(v);
    return out;
  };
  return walk(schema) as JsonSchema;
}

export const scenarioSchema: JsonSchema = schemaJson as JsonSchema;
const flatSchema = inlineRefs(scenarioSchema);
assertSupportedSchema(flatSchema);

/** The JSON form of a scenario, as the schema describes it. */
export interface ScenarioFileJson {
  readonly format: typeof SCENARIO_FORMAT;
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly designs: readonly Design[];
  readonly shape: PoolShape;
  readonly setup?: readonly Op[];
  readonly threads: readonly { readonly name: string; readonly ops: readonly Op[] }[];
  readonly bounds?: { readonly maxStates: number; readonly maxDepth?: number };
  readonly expect: Partial<Record<Design, Expectation>>;
  readonly config?: Partial<ModelConfig>;
  readonly mutation?: string;
  readonly protocol?: Partial<ProtocolOptions>;
}

/** Which fields each operation takes (required ones first); the model's Op type is the truth. */
const OP_FIELDS: Readonly<Record<Op['kind'], { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  malloc: { required: ['handle', 'cls', 'payload'], optional: [] },
  free: { required: ['handle'], optional: [] },
  read: { required: ['handle'], optional: [] },
  write: { required: ['handle', 'payload'], optional: [] },
  compact: { required: [], optional: [] },
  migrate: { required: [], optional: ['pages', 'putback'] },
  async_free: { required: [], optional: [] },
  shrinker_count: { required: [], optional: [] },
  destroy_pool: { required: [], optional: [] },
};

const ID = /^[a-z0-9][a-z0-9._-]{0,79}$/;

/** What the schema cannot check; throws ScenarioFileError with the JSON path. */
function checkMeaning(f: ScenarioFileJson, fail: (path: string, what: string) => never): void {
  if (!ID.test(f.id)) fail('/id', `'${f.id}' is not a scenario id (lower-case letters, digits, '.', '_', '-'; at most 80)`);
  if (f.designs.length === 0) fail('/designs', 'names no design');
  f.designs.forEach((d, i) => {
    if (f.designs.indexOf(d) !== i) fail(`/designs/${i}`, `'${d}' is listed twice`);
  });
  const pool = validatePool(f.shape);
  if (pool) fail('/shape', pool);
  const { handles, pageFrames, classes } = f.shape;
  if (f.shape.zspageSlots > pageFrames) fail('/shape/zspageSlots', `${f.shape.zspageSlots} zspage slots but only ${pageFrames} page frames`);
  if (pageFrames > 8) fail('/shape/pageFrames', `${pageFrames} page frames: at most 8 are supported`);
  if (f.threads.length === 0) fail('/threads', 'has no thread');
  // Reader sets are bit sets of threads (model/zsmalloc/fields.ts), so the model takes up to 30;
  // 8 keeps a file's state space within reach, as the page-frame bound does.
  if (f.threads.length > 8) fail('/threads', `${f.threads.length} threads: at most 8 are supported`);
  const names = new Set<string>();
  f.threads.forEach((t, i) => {
    if (names.has(t.name)) fail(`/threads/${i}/name`, `'${t.name}' names two threads`);
    names.add(t.name);
  });
  const checkOp = (op: Op, at: string): void => {
    const o = op as unknown as Record<string, unknown>;
    const spec = OP_FIELDS[op.kind];
    for (const r of spec.required) if (!Object.hasOwn(o, r)) fail(at, `a '${op.kind}' needs '${r}'`);
    for (const k of Object.keys(o)) {
      if (k !== 'kind' && !spec.required.includes(k) && !spec.optional.includes(k)) fail(`${at}/${k}`, `a '${op.kind}' takes no '${k}'`);
    }
    if (typeof o.handle === 'number' && o.handle >= handles) fail(`${at}/handle`, `${o.handle} is not a handle of this pool (${handles} handle${handles === 1 ? '' : 's'})`);
    if (typeof o.cls === 'number' && o.cls >= classes.length) fail(`${at}/cls`, `${o.cls} is not a size class of this pool (${classes.length} class${classes.length === 1 ? '' : 'es'})`);
    if (typeof o.payload === 'number' && o.payload > MAX_PAYLOAD) fail(`${at}/payload`, `${o.payload} is above the largest payload ${MAX_PAYLOAD}`);
    if (Array.isArray(o.pages)) {
      (o.pages as number[]).forEach((p, j) => {
        if (p >= pageFrames) fail(`${at}/pages/${j}`, `${p} is not a page frame of this pool (${pageFrames} frames)`);
      });
      if ((o.pages as number[]).length === 0) fail(`${at}/pages`, 'is empty (leave it out to mean every frame)');
    }
  };
  (f.setup ?? []).forEach((op, i) => checkOp(op, `/setup/${i}`));
  f.threads.forEach((t, i) => t.ops.forEach((op, j) => checkOp(op, `/threads/${i}/ops/${j}`)));
  for (const [d, e] of Object.entries(f.expect) as [Design, Expectation][]) {
    if (!f.designs.includes(d)) fail(`/expect/${d}`, `'${d}' is not among the scenario's designs (${f.designs.join(', ')})`);
    const keys = Object.keys(e);
    if (keys.length !== 1) fail(`/expect/${d}`, 'must be {"holds": true} or {"violates": "invariant-name"}');
    if ('violates' in e) {
      const inv = expectableProperty(e.violates);
      if (!inv) fail(`/expect/${d}/violates`, `unknown invariant '${e.violates}' (memdesc-mc invariants lists them)`);
      if (inv.designs && !inv.designs.includes(d)) fail(`/expect/${d}/violates`, `invariant '${e.violates}' is not checked under ${d}`);
    }
  }
  if (f.mutation !== undefined) {
    if (!isMutationId(f.mutation)) fail('/mutation', `unknown mutation '${f.mutation}' (memdesc-mc check --help lists them)`);
    const m = findMutation(f.mutation)!;
    const off = f.designs.filter((d) => !m.designs.includes(d));
    if (off.length > 0) fail('/mutation', `mutation ${f.mutation} re-creates a ${m.designs.join('/')} bug; it does not apply to ${off.join(', ')}`);
  }
  if (f.protocol && !f.designs.includes('memdesc')) fail('/protocol', 'protocol switches are memdesc-only, and the scenario does not run under memdesc');
}

/** A scenario file's parsed JSON → the scenario; `file` names it in errors and anchors a
 *  relative zspageLayout header path. */
export function scenarioFromJson(value: unknown, file: string): Scenario {
  const fail = (path: string, what: string): never => {
    throw new ScenarioFileError(`${file}: ${path}: ${what}`);
  };
  const bad = validate(flatSchema, value);
  if (bad) {
    // The validator says "PATH must ..."; put the path first as every other error does.
    const m = /^(\/\S*|the document) (.*)$/.exec(bad);
    throw new ScenarioFileError(`${file}: ${m ? `${m[1] === 'the document' ? '/' : m[1]}: ${m[2]}` : bad}`);
  }
  const f = value as ScenarioFileJson;
  checkMeaning(f, fail);
  let options: Partial<ProtocolOptions> | undefined;
  if (f.protocol) {
    const { zspageLayout, ...switches } = f.protocol;
    let layout: ZspageLayout | string | undefined;
    if (typeof zspageLayout === 'string' && !(BUILTIN_LAYOUTS as readonly string[]).includes(zspageLayout)) {
      const header = isAbsolute(zspageLayout) ? zspageLayout : resolve(dirname(file), zspageLayout);
      try {
        layout = resolveZspageLayout(header);
      } catch (e) {
        if (e instanceof ZspageLayoutError) fail('/protocol/zspageLayout', e.message);
        throw e;
      }
    } else if (zspageLayout !== undefined) {
      layout = zspageLayout;
    }
    options = { ...switches, ...(layout !== undefined ? { zspageLayout: layout } : {}) };
  }
  return {
    id: f.id,
    title: f.title ?? f.id,
    description: f.description ?? '',
    designs: [...f.designs],
    shape: f.shape,
    setup: f.setup ?? [],
    threads: f.threads,
    bounds: f.bounds ?? { maxStates: DEFAULT_MAX_STATES },
    expect: f.expect,
    ...(f.config !== undefined ? { config: f.config } : {}),
    ...(f.mutation !== undefined ? { mutation: f.mutation as Scenario['mutation'] } : {}),
    ...(options ? { options } : {}),
  };
}

/** Parses scenario text (JSON); `file` names it in errors. */
export function parseScenarioText(text: string, file: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return scenarioFromJson(value, file);
}

/** Reads and validates one scenario file. */
export function readScenarioFile(file: string): Scenario {
  return parseScenarioText(readBoundedText(file, (m) => new ScenarioFileError(m)), file);
}

/** The scenario in the file format: `readScenario(write(s))` gives back the same scenario. */
export function scenarioToJson(s: Scenario): ScenarioFileJson {
  const protocol = s.options && Object.keys(s.options).length > 0 ? s.options : undefined;
  return {
    format: SCENARIO_FORMAT,
    id: s.id,
    title: s.title,
    description: s.description,
    designs: [...s.designs],
    shape: s.shape,
    ...(s.setup.length > 0 ? { setup: s.setup.map(cleanOp) } : {}),
    threads: s.threads.map((t) => ({ name: t.name, ops: t.ops.map(cleanOp) })),
    bounds: s.bounds.maxDepth !== undefined ? { maxStates: s.bounds.maxStates, maxDepth: s.bounds.maxDepth } : { maxStates: s.bounds.maxStates },
    expect: s.expect,
    ...(s.config !== undefined && Object.keys(s.config).length > 0 ? { config: s.config } : {}),
    ...(s.mutation !== undefined ? { mutation: s.mutation } : {}),
    ...(protocol ? { protocol } : {}),
  };
}

/** An op without the `undefined` members the TypeScript shorthands leave (JSON drops them). */
function cleanOp(op: Op): Op {
  return Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)) as unknown as Op;
}

/** The protocol switches a user may set (names and allowed values), for --help and errors. */
export const PROTOCOL_SWITCHES: readonly { readonly name: keyof ProtocolOptions; readonly values: string; readonly fixed: string }[] =
  (Object.keys(fixedProtocol) as (keyof ProtocolOptions)[]).map((name) => ({
    name,
    values: typeof fixedProtocol[name] === 'boolean' ? 'true|false' : name === 'isolationIdentity' ? 'page|folio' : 'proposed|6.18|FILE.h',
    fixed: String(fixedProtocol[name]),
  }));

