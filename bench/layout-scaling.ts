import { readHeader } from '../model/layout/index.js';

/**
 * The C layout engine on chains of N structs, each containing the previous one by value (and N
 * typedefs of typedefs): time per struct at N = 1,500 and N = 10,000, measured in the same run
 * (the bad-input test runs the same shapes under a 512 MiB heap). Linear work shows as a flat time per struct; the ratio is printed, not asserted.
 */
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });

function chain(n: number): string {
  let src = 'struct c0 { int v; };\n';
  for (let i = 1; i < n; i++) src += `struct c${i} { struct c${i - 1} a; int v; };\n`;
  for (let i = 1; i < n; i++) src += `typedef ${i === 1 ? 'int' : `t${i - 1}`} t${i};\n`;
  return `${src}_Static_assert(sizeof(struct c${n - 1}) == ${4 * n}, "size");\n`;
}

function measure(n: number): { ms: number } {
  const src = chain(n);
  readHeader(src, { file: 'chain.h' }); // warm
  const t0 = performance.now();
  const r = readHeader(src, { file: 'chain.h' });
  const ms = performance.now() - t0;
  if (!r.assertions.every((a) => a.passed)) {
    console.log(`  MISMATCH: chain of ${n}: sizeof assertion failed`);
    process.exitCode = 1;
  }
  return { ms };
}

export function layoutScaling(): void {
  const small = measure(1_500);
  const big = measure(10_000);
  console.log('layout engine, chains of structs each containing the previous one:');
  console.log(`  N = 1,500:  ${fmt(small.ms)} ms, ${fmt((small.ms * 1000) / 1_500, 1)} us per struct`);
  console.log(`  N = 10,000: ${fmt(big.ms)} ms, ${fmt((big.ms * 1000) / 10_000, 1)} us per struct`);
  console.log(`  time ratio ${fmt(big.ms / small.ms, 1)}x for ${fmt(10_000 / 1_500, 1)}x the structs (linear: ~${fmt(10_000 / 1_500, 1)}x, quadratic: ~${fmt((10_000 / 1_500) ** 2)}x)`);
}
