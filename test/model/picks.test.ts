import { describe, expect, it } from 'vitest';
import { referenceExplore } from '../explorer/reference.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import { propertiesFor } from '../../invariants/zsmalloc/index.js';
import { findScenario } from '../../scenarios/zsmalloc/index.js';
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

/** The frames compaction_alloc hands the core for page 0 (naive explorer, all states). */
function dstFrames(config: Partial<ModelConfig>): number[] {
  const sc = findScenario('cross-zone-migration')!;
  const m = buildMachine({ design: 'zpdesc', pool: sc.shape, setup: sc.setup, threads: [{ name: 'core', ops: [{ kind: 'migrate', pages: [0], putback: false }] }], config });
  const sys = toTransitionSystem(m, propertiesFor);
  const q = m.f.fields.findIndex((f) => f.name === 'core.newpage');
  const out = new Set<number>();
  for (const key of referenceExplore(sys).states.keys()) {
    const v = (JSON.parse(key) as number[])[q];
    if (v >= 0) out.add(v);
  }
  return [...out].sort();
}

describe('buddy picks', () => {
  it('lowest-index picks hand the core the lowest free frame; picks "any" every free frame', () => {
    expect(dstFrames({ picks: 'lowest' })).toEqual([2]);
    expect(dstFrames({ picks: 'any' })).toEqual([2, 3]);
  });
});
