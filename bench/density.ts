import { syntheticSizes } from '../model/density/inputs.js';
import { allocOnly, churn, runDensity } from '../model/density/stream.js';

/**
 * Density throughput: one million compressed sizes (normal around 1.5 KiB, a typical zram mix)
 * through all four allocators (zsmalloc at chain sizes 8 and 4), alloc-only and with churn. The
 * issue's target is under 10 s in total on one core; the figures are printed, not asserted.
 */
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });

export function densityBench(n = 1_000_000): void {
  const sizes = syntheticSizes('normal:1500,800', n, 1, 4096);
  for (const [name, stream] of [
    ['alloc only', allocOnly(sizes)],
    ['churn (free fraction 0.5, then one zs_compact)', churn(sizes, 0.5, 1)],
  ] as const) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = runDensity(stream, 4096, { compact: name.startsWith('churn') });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    console.log(`density, ${fmt(n)} sizes normal:1500,800, ${name}, ${fmt(stream.length)} operations per allocator:`);
    for (const [label, ms] of Object.entries(run.millis)) {
      const r = run.results.find((x) => x.label === label)!;
      console.log(`  ${label.padEnd(17)} ${fmt(ms)} ms  (${fmt((stream.length * 1000) / ms)} ops/s)  ${fmt(r.pages)} pages`);
    }
    console.log(`  total ${fmt(wall)} ms wall, ${fmt((cpu.user + cpu.system) / 1000)} ms CPU (target: under 10,000 ms)`);
  }
}


