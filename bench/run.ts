import { check, exactSetFactory } from '../explorer/index.js';
import { coupledCounters } from './coupled-counters.js';
import { naiveExplore } from './naive-explorer.js';
import { layoutScaling } from './layout-scaling.js';

/**
 * `npm run bench`: engine throughput and memory on a model with millions of states, and the
 * ratio against a naive Map<string> explorer on a smaller instance measured in the same run.
 * Figures are printed, never asserted: timing depends on the machine.
 */
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });

function bigRun(): void {
  const sys = coupledCounters(4, 64, 24);
  const cpuBefore = process.cpuUsage();
  const r = check(sys);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const s = r.stats;
  console.log(`engine, coupled counters k=4 n=64 lead=24 (bfs, fingerprint set):`);
  console.log(`  verdict ${r.verdict}, ${fmt(s.distinctStates)} distinct states, ${fmt(s.transitions)} transitions, depth ${s.maxDepth}`);
  console.log(`  ${fmt(s.elapsedMs)} ms, ${fmt(s.statesPerSecond)} distinct states/s single-threaded`);
  // On a shared machine wall-clock rates swing with the load; CPU time does much less.
  console.log(`  ${fmt(cpuMs)} ms of CPU, ${fmt((s.distinctStates * 1000) / cpuMs)} distinct states per CPU-second`);
  console.log(`  visited structure ${fmt(s.visitedBytes / 2 ** 20, 1)} MiB = ${fmt(s.visitedBytes / s.distinctStates, 2)} bytes per stored state`);
  console.log(`  fingerprint collision probability (birthday bound) ${s.collisionProbability?.toExponential(2)}`);
}

function smallComparison(): void {
  const sys = coupledCounters(4, 40, 12);
  // Each contender runs twice and the second run counts, so none is measured cold.
  naiveExplore(sys);
  const naive = naiveExplore(sys);
  check(sys, { visitedSet: exactSetFactory });
  const exact = check(sys, { visitedSet: exactSetFactory });
  const fp = check(sys);
  const naiveRate = (naive.distinctStates * 1000) / naive.elapsedMs;
  console.log(`comparison on coupled counters k=4 n=40 lead=12 (${fmt(fp.stats.distinctStates)} states):`);
  console.log(`  naive Map<string> explorer: ${fmt(naiveRate)} states/s, ~${fmt(naive.heapBytes / naive.distinctStates, 1)} heap bytes per state`);
  console.log(`  engine, exact set:          ${fmt(exact.stats.statesPerSecond)} states/s, ~${fmt(exact.stats.visitedBytes / exact.stats.distinctStates, 1)} bytes per state`);
  console.log(`  engine, fingerprint set:    ${fmt(fp.stats.statesPerSecond)} states/s, ${fmt(fp.stats.visitedBytes / fp.stats.distinctStates, 1)} bytes per state`);
  console.log(`  ratio engine/naive: ${fmt(fp.stats.statesPerSecond / naiveRate, 1)}x faster, ${fmt(naive.heapBytes / fp.stats.visitedBytes, 1)}x less memory`);
  if (naive.distinctStates !== fp.stats.distinctStates) {
    console.log(`  MISMATCH: naive ${naive.distinctStates} states, engine ${fp.stats.distinctStates}`);
    process.exitCode = 1;
  }
}

bigRun();
smallComparison();
layoutScaling();
