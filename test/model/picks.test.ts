import { describe, expect, it } from 'vitest';
import { referenceExplore } from '../explorer/reference.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import { propertiesFor } from '../../invariants/index.js';
import { findScenario } from '../../scenarios/index.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';

/** Which zspage compaction's first migrate_zspage takes objects from, over every reachable
 *  state (naive explorer, no reductions), for the compact-moves-read-write pool: two zspages
 *  on the same fullness list, one object each. */
function sourcesMoved(config: Partial<ModelConfig>): Set<number> {
  const sc = findScenario('compact-moves-read-write')!;
  const m = buildMachine({ design: 'zpdesc', pool: sc.shape, setup: sc.setup, threads: [{ name: 'compact', ops: [{ kind: 'compact' }] }], config });
  const sys = toTransitionSystem(m, propertiesFor);
  const src = m.f.fields.findIndex((f) => f.name === 'compact.zspage');
  const pc = m.f.fields.findIndex((f) => f.name === 'compact.pc');
  const out = new Set<number>();
  for (const key of referenceExplore(sys).states.keys()) {
    const s = JSON.parse(key) as number[];
    if (m.labels[s[pc]] === 'migrate_zspage:move_object') out.add(s[src]);
  }
  return out;
}

describe('list-head picks', () => {
  it('lowest-index picks make compaction always empty the same zspage', () => {
    expect([...sourcesMoved({ picks: 'lowest' })]).toEqual([1]);
  });
  it('picks "any" lets compaction take either zspage of the list as its source', () => {
    expect([...sourcesMoved({ picks: 'any' })].sort()).toEqual([0, 1]);
  });
});
