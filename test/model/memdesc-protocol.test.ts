import { describe, expect, it } from 'vitest';
import { findScenario, runScenario } from '../../scenarios/zsmalloc/index.js';
import type { ProtocolOptions } from '../../model/zsmalloc/memdesc/options.js';

/**
 * Every switch of the fixed memdesc protocol is load-bearing: turned off alone, the scenario
 * "free of the last object while a page is isolated" breaks, each in its own way (§6.3).
 */
describe('memdesc protocol switches', () => {
  const scenario = findScenario('free-last-while-isolated')!;
  const cases: Array<[Partial<ProtocolOptions>, string]> = [
    [{ refPerZspage: false }, 'no-zspage-use-after-free'], // per-page puts empty the shared count under the freer
    [{ recheckMemdesc: false }, 'callback-page-locked'], // the page left the zspage the core locked
    [{ descriptorLifetime: false }, 'no-zspage-use-after-free'], // the core puts a freed descriptor
    [{ cachedFolioPointers: false }, 'refcount-non-negative'], // put(page_folio(src)) after reset hits the page
    [{ isolationIdentity: 'folio' }, 'isolation-identity'], // &folio->page is not the isolated page
  ];
  it('holds with the fixed protocol', () => {
    expect(runScenario(scenario, 'memdesc').result.verdict).toBe('holds');
  });
  for (const [options, invariant] of cases) {
    it(`with ${JSON.stringify(options)} it violates ${invariant}`, () => {
      const r = runScenario(scenario, 'memdesc', { options });
      expect(r.result.violation?.invariant, r.result.violation?.message).toBe(invariant);
      expect(r.result.violation!.trace.steps.length).toBeLessThanOrEqual(40);
    });
  }
});
