import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { capture } from './capture.js';
import { toySource } from './toy-source.js';

const run = (...argv: string[]) => capture(() => main(argv, toySource()));

describe('memdesc-mc check: progress flags', () => {
  it('--no-progress and --fairness are accepted and keep a holding scenario holding', async () => {
    for (const flags of [['--no-progress'], ['--fairness', 'none'], ['--fairness', 'strong']]) {
      const r = await run('check', 'locked-incs', '--no-color', ...flags);
      expect(r.code).toBe(0);
      expect(r.out.split('\n').filter((l) => l.startsWith('locked-incs')).every((l) => /\bholds\b/.test(l))).toBe(true);
    }
  });

  it('a --fairness that is not weak, strong or none is one line on stderr and exit 2', async () => {
    const r = await run('check', 'locked-incs', '--fairness', 'sometimes');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--fairness must be weak, strong or none, got 'sometimes'/);
  });
});
