import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { parseTraceFile, resolveTrace, serializeTraceFile, toTraceFile, traceSchema, TRACE_FORMAT } from '../../report/trace-file.js';
import { validate, assertSupportedSchema } from '../../report/schema.js';
import { lockWorkers } from '../fixtures/lock-workers.js';

function sampleFile() {
  const system = lockWorkers(2, 1, { broken: true });
  const r = check(system);
  expect(r.verdict).toBe('violated');
  const v = r.violation!;
  return {
    system,
    file: toTraceFile({
      scenario: 'workers', design: 'plain', mutations: ['M'], system, trace: v.trace,
      violation: { kind: v.kind, invariant: v.invariant, step: v.trace.steps.length, message: v.message },
    }),
  };
}

describe('trace file format 1', () => {
  it('a written file parses back to the same document and its steps resolve to the same actions', () => {
    const { system, file } = sampleFile();
    const text = serializeTraceFile(file);
    const back = parseTraceFile(text, 't.json');
    expect(back).toEqual(file);
    const resolved = resolveTrace(system, back);
    expect('trace' in resolved && resolved.trace.steps.map((s) => s.action)).toEqual(check(system).violation!.trace.steps.map((s) => s.action));
    // Steps are named, not numbered: a reader sees thread and label.
    expect(file.steps[0]).toEqual({ index: 0, thread: 'worker0', label: 'work', choice: 0 });
  });

  it('rejects malformed, truncated, wrong-version and schema-breaking files with one line naming the file', () => {
    const text = serializeTraceFile(sampleFile().file);
    const doc = JSON.parse(text);
    const bad = (t: string) => {
      try {
        parseTraceFile(t, 'bad.json');
      } catch (e) {
        const m = (e as Error).message;
        expect(m.split('\n')).toHaveLength(1);
        expect(m.startsWith('bad.json: ')).toBe(true);
        return m;
      }
      throw new Error('accepted');
    };
    expect(bad(text.slice(0, text.length / 2))).toMatch(/not valid JSON/);
    expect(bad('')).toMatch(/it is empty/);
    expect(bad(JSON.stringify({ ...doc, format: 'memdesc-mc-trace/2' }))).toMatch(/trace format 'memdesc-mc-trace\/2' is not supported/);
    expect(bad(JSON.stringify({ ...doc, format: undefined }))).toMatch(/lacks the required property 'format'/);
    expect(bad(JSON.stringify({ ...doc, steps: [{ ...doc.steps[0], choice: -1 }] }))).toMatch(/\/steps\/0\/choice must be at least 0/);
    expect(bad(JSON.stringify({ ...doc, steps: [{ ...doc.steps[0], thread: 3 }] }))).toMatch(/\/steps\/0\/thread must be string, found integer/);
    expect(bad(JSON.stringify({ ...doc, violation: { ...doc.violation, kind: 'oops' } }))).toMatch(/\/violation\/kind must be one of/);
    expect(bad(JSON.stringify({ ...doc, extra: 1 }))).toMatch(/unknown property 'extra'/);
    expect(bad(JSON.stringify({ ...doc, steps: doc.steps.slice(0, 1) }))).toMatch(/violation.step \d+ is beyond the 1 steps/);
    expect(bad('[1,2]')).toMatch(/the document must be object, found array/);
  });

  it('the shipped schema uses only keywords the validator implements and names the format', () => {
    expect(() => assertSupportedSchema(traceSchema)).not.toThrow();
    expect((traceSchema.properties as Record<string, { const?: string }>).format.const).toBe(TRACE_FORMAT);
    expect(() => assertSupportedSchema({ type: 'object', patternProperties: {} })).toThrow(/patternProperties/);
  });
});

describe('schema subset validator', () => {
  it('checks type, const, enum, required, additionalProperties, items, minimum, minLength', () => {
    const s = {
      type: 'object', required: ['a'], additionalProperties: false,
      properties: { a: { type: 'integer', minimum: 1 }, b: { type: ['string', 'null'], minLength: 1 }, c: { enum: ['x', 'y'] }, d: { type: 'array', items: { type: 'number' } }, e: { const: 7 } },
    };
    expect(validate(s, { a: 1, b: null, c: 'x', d: [1, 2.5], e: 7 })).toBeNull();
    expect(validate(s, { a: 1.5 })).toBe('/a must be integer, found number');
    expect(validate(s, { a: 0 })).toBe('/a must be at least 1, found 0');
    expect(validate(s, {})).toBe("the document lacks the required property 'a'");
    expect(validate(s, { a: 1, b: '' })).toBe('/b must not be empty');
    expect(validate(s, { a: 1, c: 'z' })).toBe('/c must be one of "x", "y", found "z"');
    expect(validate(s, { a: 1, d: [1, 'two'] })).toBe('/d/1 must be number, found string');
    expect(validate(s, { a: 1, e: 8 })).toBe('/e must be 7, found 8');
    expect(validate(s, { a: 1, f: 0 })).toBe("the document has an unknown property 'f'");
  });
});
