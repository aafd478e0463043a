/**
 * The scenario file format: every built-in scenario survives TypeScript → JSON → file reader with
 * the same state space (the exploration is the independent check: a lost op or a changed
 * bound changes the counts), every kind of mistake is one line naming the JSON path, and
 * malformed files never crash or hang the reader.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allScenarios, buildSystem, runScenario } from '../../scenarios/zsmalloc/index.js';
import { parseScenarioText, scenarioToJson, ScenarioFileError } from '../../scenarios/file/scenario-file.js';

const base = () => JSON.parse(JSON.stringify(scenarioToJson(allScenarios().find((s) => s.id === 'free-vs-migrate')!)));

function errorOf(doc: unknown, file = 'scenario.json'): string {
  try {
    parseScenarioText(typeof doc === 'string' ? doc : JSON.stringify(doc), file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('built-in scenarios round-trip through the file format', () => {
  for (const s of allScenarios()) {
    it(`${s.id}: same state counts and verdicts after JSON and back`, () => {
      const back = parseScenarioText(JSON.stringify(scenarioToJson(s)), `${s.id}.json`);
      expect(back.id).toBe(s.id);
      for (const d of s.designs) {
        // The same fields, labels and initial state, then the first few thousand states of a
        // BFS: a lost op, bound or option changes one of them. (The whole spaces are explored
        // by suite.test.ts; doing it twice more here cost a minute of the suite.)
        const [sa, sb] = [buildSystem({ scenario: s, design: d }), buildSystem({ scenario: back, design: d })];
        expect(sb.fields.map((f) => `${f.name}:${f.min}..${f.max}`)).toEqual(sa.fields.map((f) => `${f.name}:${f.min}..${f.max}`));
        expect(sb.labels).toEqual(sa.labels);
        expect(Array.from(sb.initialStates()[0])).toEqual(Array.from(sa.initialStates()[0]));
        const bounded = { check: { maxStates: Math.min(s.bounds.maxStates ?? Infinity, 4_000), checkProgress: false } };
        const a = runScenario(s, d, bounded);
        const b = runScenario(back, d, bounded);
        expect(b.result.stats.distinctStates).toBe(a.result.stats.distinctStates);
        expect(b.result.stats.transitions).toBe(a.result.stats.transitions);
        expect(b.result.verdict).toBe(a.result.verdict);
        expect(b.result.violation?.invariant).toBe(a.result.violation?.invariant);
      }
    });
  }
});

describe('a mistake in a scenario file is one line naming the file and the JSON path', () => {
  const cases: [string, (d: any) => unknown, RegExp][] = [
    ['bad JSON', () => '{ "format": ', /^scenario\.json: not valid JSON \(/],
    ['unknown op', (d) => { d.threads[0].ops[0] = { kind: 'mremap' }; return d; }, /^scenario\.json: \/threads\/0\/ops\/0\/kind: must be one of "malloc".*found "mremap"$/],
    ['handle out of range', (d) => { d.threads[1].ops[0] = { kind: 'free', handle: 7 }; return d; }, /^scenario\.json: \/threads\/1\/ops\/0\/handle: 7 is not a handle of this pool \(2 handles\)$/],
    ['unknown design', (d) => { d.designs = ['slab']; return d; }, /^scenario\.json: \/designs\/0: must be one of "legacy", "zpdesc", "memdesc", found "slab"$/],
    ['unknown mutation', (d) => { d.mutation = 'Z9'; return d; }, /^scenario\.json: \/mutation: unknown mutation 'Z9'/],
    ['mutation of another design', (d) => { d.mutation = 'A1'; return d; }, /^scenario\.json: \/mutation: mutation A1 re-creates a legacy bug; it does not apply to zpdesc, memdesc$/],
    ['unknown protocol switch', (d) => { d.protocol = { recheckMemdsc: false }; return d; }, /^scenario\.json: \/protocol: has an unknown property 'recheckMemdsc'$/],
    ['negative bounds', (d) => { d.bounds = { maxStates: -5 }; return d; }, /^scenario\.json: \/bounds\/maxStates: must be at least 1, found -5$/],
    ['a field an op does not take', (d) => { d.threads[0].ops[0] = { kind: 'free', handle: 0, cls: 0 }; return d; }, /^scenario\.json: \/threads\/0\/ops\/0\/cls: a 'free' takes no 'cls'$/],
    ['a missing field', (d) => { d.threads[0].ops[0] = { kind: 'malloc', handle: 0, cls: 0 }; return d; }, /^scenario\.json: \/threads\/0\/ops\/0: a 'malloc' needs 'payload'$/],
    ['unknown invariant', (d) => { d.expect.zpdesc = { violates: 'no-such-rule' }; return d; }, /^scenario\.json: \/expect\/zpdesc\/violates: unknown invariant 'no-such-rule'/],
    ['expectation for a design not run', (d) => { d.designs = ['zpdesc']; return d; }, /^scenario\.json: \/expect\/legacy: 'legacy' is not among the scenario's designs \(zpdesc\)$/],
    ['wrong format', (d) => { d.format = 'memdesc-mc-scenario/2'; return d; }, /^scenario\.json: \/format: must be "memdesc-mc-scenario\/1"/],
    ['a page frame beyond the pool', (d) => { d.threads[1].ops[0] = { kind: 'migrate', pages: [9] }; return d; }, /^scenario\.json: \/threads\/1\/ops\/0\/pages\/0: 9 is not a page frame of this pool/],
    ['more threads than supported', (d) => { d.threads = Array.from({ length: 9 }, (_, i) => ({ name: `t${i}`, ops: [] })); return d; }, /^scenario\.json: \/threads: 9 threads: at most 8 are supported$/],
  ];
  for (const [name, edit, want] of cases) {
    it(name, () => {
      const msg = errorOf(edit(base()));
      expect(msg).toMatch(want);
      expect(msg).not.toContain('\n');
    });
  }
});

describe('malformed scenario files never crash or hang the reader', () => {
  const keys = ['format', 'id', 'designs', 'shape', 'threads', 'ops', 'kind', 'handle', 'expect', 'bounds', 'protocol',
    'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'pageUnits', 'classes', 'size'];
  const leaf = fc.oneof(fc.integer({ min: -3, max: 1e9 }), fc.constantFrom(1.5, NaN, null, true, '', 'A', 'malloc', 'zpdesc', [], {}));
  /** Replaces one spot of a valid document, found by walking a random path of keys/indices. */
  const mutate = (doc: any, path: number[], key: string, value: unknown, del: boolean): any => {
    let node = doc;
    for (const p of path) {
      if (node === null || typeof node !== 'object') break;
      const ks = Object.keys(node);
      if (ks.length === 0) break;
      const next = node[ks[p % ks.length]];
      if (next === null || typeof next !== 'object') {
        if (del) delete node[ks[p % ks.length]];
        else node[ks[p % ks.length]] = value;
        return doc;
      }
      node = next;
    }
    if (node && typeof node === 'object') Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
    return doc;
  };
  it('every mutated document gives a scenario or one ScenarioFileError line', () => {
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(...keys), leaf, fc.boolean(), (path, key, value, del) => {
      const doc = mutate(base(), path, key, value, del);
      const text = JSON.stringify(doc);
      const t0 = Date.now();
      try {
        parseScenarioText(text, 'fuzz.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioFileError);
        expect((e as Error).message).toMatch(/^fuzz\.json: /);
        expect((e as Error).message).not.toContain('\n');
      }
      expect(Date.now() - t0).toBeLessThan(1000);
    }), { numRuns: 1500 });
  });
  it('arbitrary JSON values are rejected with one line', () => {
    fc.assert(fc.property(fc.json(), (text) => {
      try {
        parseScenarioText(text, 'any.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioFileError);
      }
    }), { numRuns: 500 });
  });
});
