/**
 * The user's own inputs on a check line: scenario files (`--scenario-file`, a file or a folder),
 * saved regressions (`--regressions DIR`), memdesc protocol switches (`--protocol NAME=VALUE`)
 * and a zspage layout header (`--zspage-layout FILE.h`). They become scenarios of the source
 * the command runs on; nothing is compiled or written into the package.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.js';
import type { ScenarioLike, ScenarioSource } from './source.js';

export interface ScenarioInputs {
  readonly scenarioFiles?: readonly string[];
  readonly regressions?: readonly string[];
  readonly protocol?: readonly string[];
  readonly zspageLayout?: string;
}

/** The options every command that selects scenarios accepts for them (node:util parseArgs). */
export const SCENARIO_INPUT_OPTIONS = {
  'scenario-file': { type: 'string', multiple: true },
  regressions: { type: 'string', multiple: true },
  protocol: { type: 'string', multiple: true },
  'zspage-layout': { type: 'string' },
} as const;

export const SCENARIO_INPUT_USAGE = `  --scenario-file F  run the scenario file F (JSON, format memdesc-mc-scenario/1); a folder runs
                     every *.json in it; repeatable. Without scenario names, only these run
  --regressions DIR  run every saved regression (memdesc-mc save) in DIR; repeatable
  --protocol S=V     set a memdesc protocol switch for the runs (repeatable):
                     S is recheckMemdesc, refPerZspage, descriptorLifetime, cachedFolioPointers
                     (true|false), isolationIdentity (page|folio), zspageLayout (proposed|6.18|FILE.h)
  --zspage-layout F  the memdesc struct zspage from header F: the generic core's PG_locked and
                     _refcount land on whatever member F puts at those struct page offsets`;

/** Files named directly, and the *.json files of named folders (sorted). */
function expand(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      // A missing path is reported by the reader, naming the file.
    }
    if (!dir) {
      out.push(p);
      continue;
    }
    const files = readdirSync(p).filter((f) => f.endsWith('.json')).sort();
    if (files.length === 0) throw new InputError(`${p}: a folder with no *.json file`);
    out.push(...files.map((f) => join(p, f)));
  }
  return out;
}

/** `--protocol` values as switch settings, validated against the source's switches. */
function protocolSettings(source: ScenarioSource, values: readonly string[], layout: string | undefined): Record<string, unknown> {
  const switches = source.protocolSwitches ?? [];
  const out: Record<string, unknown> = {};
  for (const v of values) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(v);
    if (!m) throw new InputError(`--protocol '${v}': expected NAME=VALUE (e.g. recheckMemdesc=false)`);
    const [, name, value] = m;
    const sw = switches.find((s) => s.name === name);
    if (!sw) {
      const near = switches.filter((s) => s.name.toLowerCase().startsWith(name.slice(0, 4).toLowerCase())).map((s) => s.name);
      throw new InputError(`--protocol: unknown switch '${name}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''} (switches: ${switches.map((s) => s.name).join(', ')})`);
    }
    out[name] = sw.parse(value);
  }
  if (layout !== undefined) {
    if (Object.hasOwn(out, 'zspageLayout')) throw new InputError('--zspage-layout and --protocol zspageLayout=… both name a layout; give one');
    const sw = switches.find((s) => s.name === 'zspageLayout');
    if (!sw) throw new InputError('--zspage-layout: this model has no zspage layout switch');
    out.zspageLayout = sw.parse(layout);
  }
  return out;
}

export interface AppliedInputs {
  readonly source: ScenarioSource;
  /** Scenario ids to run when the command line named none (the files' and regressions'). */
  readonly defaultScenarios: readonly string[];
}

/**
 * The source with the user's scenarios added and the protocol settings laid over every
 * scenario that runs under a design taking them. Scenarios so made carry `origin`, so their
 * trace files embed the definition and replay without the inputs.
 */
export function applyScenarioInputs(source: ScenarioSource, inputs: ScenarioInputs): AppliedInputs {
  const files = expand(inputs.scenarioFiles ?? []);
  const dirs = inputs.regressions ?? [];
  let extra: ScenarioLike[] = [];
  if (files.length > 0) {
    if (!source.readScenarioFile) throw new InputError('--scenario-file: this model reads no scenario files');
    extra = files.map((f) => ({ ...source.readScenarioFile!(f), origin: f }));
  }
  for (const d of dirs) {
    if (!source.readRegressionDir) throw new InputError('--regressions: this model reads no regressions');
    extra.push(...source.readRegressionDir(d).map((s) => ({ ...s, origin: d })));
  }
  const ids = new Set(source.scenarios().map((s) => s.id));
  const seen = new Set<string>();
  for (const s of extra) {
    if (ids.has(s.id)) throw new InputError(`${String(s.origin)}: scenario id '${s.id}' is already a built-in scenario; choose another id`);
    if (seen.has(s.id)) throw new InputError(`${String(s.origin)}: scenario id '${s.id}' is given twice`);
    seen.add(s.id);
  }
  const settings = protocolSettings(source, inputs.protocol ?? [], inputs.zspageLayout);
  const overlay = (s: ScenarioLike): ScenarioLike =>
    Object.keys(settings).length === 0 || !source.protocolApplies?.(s)
      ? s
      : { ...s, options: { ...((s.options as object | undefined) ?? {}), ...settings }, origin: s.origin ?? 'command line' };
  if (Object.keys(settings).length > 0 && ![...source.scenarios(), ...extra].some((s) => source.protocolApplies?.(s))) {
    throw new InputError('--protocol/--zspage-layout: no scenario runs under a design that has protocol switches (memdesc)');
  }
  const all = [...source.scenarios(), ...extra].map(overlay);
  return {
    // systemRef stays the registry's: it ships any scenario that is not the registry's own object.
    source: { ...source, scenarios: () => all, findScenario: (id) => all.find((s) => s.id === id) },
    defaultScenarios: extra.map((s) => s.id),
  };
}
