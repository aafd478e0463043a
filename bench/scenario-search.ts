import { check } from '../explorer/index.js';
import { loadRegistry } from '../cli/registry.js';
import { executeRun, planRuns, runOptions } from '../cli/runs.js';

/**
 * The safety search of one default-suite run in a fresh process, as `memdesc-mc check
 * SCENARIO --design D` searches it, for `bench/run.ts`: searched `repeats` times (the first
 * warms the compiled code up; the best counts). A fresh process, since searches of other
 * scenarios before it leave the engine's compiled code polymorphic over their systems (the
 * bench prints that figure too, measured after the whole suite). Prints one JSON line.
 *
 * Arguments: scenario id, design, mutations joined by '+' ('' for none), repeats.
 */
export interface ScenarioSearch {
  readonly distinctStates: number;
  /** Best wall-clock rate of the safety search (the engine's own count). */
  readonly statesPerSecond: number;
  /** Best rate per CPU-second of the process. */
  readonly perCpuSecond: number;
}

const [id, design, mutations, repeats] = process.argv.slice(2);
const source = await loadRegistry();
const planned = planRuns(source, { scenarios: [id] })
  .find((p) => p.design === design && p.mutations.join('+') === mutations);
if (planned === undefined) throw new Error(`bench: no default-suite run ${id} (${design}${mutations === '' ? '' : ` + ${mutations}`})`);
const run = executeRun(source, planned, {});
const options = runOptions(source, run.run, {});
let statesPerSecond = 0, perCpuSecond = 0;
for (let i = 0; i < Number(repeats); i++) {
  const before = process.cpuUsage();
  const x = check(run.system, { ...options, checkProgress: false });
  const cpu = process.cpuUsage(before);
  statesPerSecond = Math.max(statesPerSecond, x.stats.statesPerSecond);
  perCpuSecond = Math.max(perCpuSecond, (x.stats.distinctStates * 1e6) / (cpu.user + cpu.system));
}
const out: ScenarioSearch = { distinctStates: run.result.stats.distinctStates, statesPerSecond, perCpuSecond };
console.log(JSON.stringify(out));
