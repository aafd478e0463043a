/**
 * A validator for the subset of JSON Schema (draft 2020-12) that our file formats use: type
 * (one or a list), const, enum, properties, required, additionalProperties: false, items,
 * minimum, minLength. Keywords outside the subset are rejected when the schema is loaded, so the
 * schema cannot silently promise more than is checked.
 *
 * Every lookup of a document's key in the schema is an own-property lookup: a key such as
 * `constructor`, `toString` or `__proto__` must not find Object.prototype's members and pass as
 * a known property (JSON.parse makes `__proto__` an ordinary own key).
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

const KNOWN = new Set([
  '$schema', '$id', 'title', 'description',
  'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'minimum', 'minLength',
]);

/** Throws when the schema uses a keyword the validator does not implement. */
/** `obj[key]` only when `key` is obj's own property (never an inherited Object.prototype member). */
export function ownProperty<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function assertSupportedSchema(schema: JsonSchema, at = '#'): void {
  for (const k of Object.keys(schema)) {
    if (!KNOWN.has(k)) throw new Error(`schema keyword '${k}' at ${at} is not supported by the validator`);
  }
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) assertSupportedSchema(v, `${at}/properties/${k}`);
  if (schema.items) assertSupportedSchema(schema.items as JsonSchema, `${at}/items`);
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    throw new Error(`additionalProperties at ${at} must be false when present`);
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, actual: string): boolean {
  return want === actual || (want === 'number' && actual === 'integer');
}

function pointer(path: string): string {
  return path === '' ? 'the document' : path;
}

/** The first way `value` fails `schema`, as a sentence naming where (a JSON pointer), or null. */
export function validate(schema: JsonSchema, value: unknown, path = ''): string | null {
  const at = pointer(path);
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) {
    return `${at} must be ${JSON.stringify(schema.const)}, found ${JSON.stringify(value)}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${at} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, found ${JSON.stringify(value)}`;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, actual))) return `${at} must be ${types.join(' or ')}, found ${actual}`;
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) {
    return `${at} must be at least ${schema.minimum}, found ${value}`;
  }
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength) {
    return `${at} must not be empty`;
  }
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) {
      if (!Object.prototype.hasOwnProperty.call(obj, r)) return `${at} lacks the required property '${r}'`;
    }
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    for (const [k, v] of Object.entries(obj)) {
      const sub = ownProperty(props, k);
      if (sub) {
        const e = validate(sub, v, `${path}/${k}`);
        if (e) return e;
      } else if (schema.additionalProperties === false) {
        return `${at} has an unknown property '${k}'`;
      }
    }
  }
  if (actual === 'array' && schema.items) {
    const arr = value as unknown[];
    for (let i = 0; i < arr.length; i++) {
      const e = validate(schema.items as JsonSchema, arr[i], `${path}/${i}`);
      if (e) return e;
    }
  }
  return null;
}
