import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Orders test files for a mutant run: the file that failed last time first (it killed the
 * previous mutant, often a neighbour of this one), then the fastest files. Stryker stops a
 * mutant's run at its first failing test, so a killed mutant costs what runs before that test;
 * vitest's own order (longest file first) spends that time on the property sweeps.
 */
export default class FastFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (f: TestSpecification) => `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
    const rank = (f: TestSpecification) => {
      const r = cache.getFileTestResults(key(f));
      const size = cache.getFileStats(key(f))?.size ?? Number.MAX_SAFE_INTEGER;
      return { failed: r?.failed ? 0 : 1, duration: r?.duration ?? size };
    };
    const ranked = files.map((f) => ({ f, r: rank(f) }));
    ranked.sort((a, b) => a.r.failed - b.r.failed || a.r.duration - b.r.duration);
    return ranked.map(({ f }) => f);
  }
}
