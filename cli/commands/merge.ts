/**
 * `memdesc-mc merge SHARD.json…`: one verdict from the `check --shard I/N --json` outputs of
 * every shard of one run, by the same soundness rule as a single run: a violation any shard
 * found is real (the shortest is kept); otherwise any shard incomplete, or missing, makes the
 * whole incomplete; only every shard holding makes it hold. The distinct-state count is that
 * of the union of the shards' fingerprint files (shards overlap: all of them explore the
 * levels before the split, and states reachable from two shards' roots are seen by both).
 * Exit 0: the merged verdict meets the scenario's expectation; 1: it does not; 2: bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { readFingerprintFile, unionCount } from '../../explorer/parallel/index.js';
import { formatCount, renderTable } from '../../report/table.js';
import { palette, colorWanted } from '../../report/color.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_FAILED, EXIT_OK, InputError } from '../errors.js';
import type { Expectation } from '../source.js';

export const MERGE_USAGE = `usage: memdesc-mc merge SHARD.json… [--json]
  Combines the --json outputs of memdesc-mc check --shard I/N (every shard of one run) into one
  verdict: a violation in any shard is reported; otherwise any incomplete or missing shard makes
  the verdict incomplete. Reads each shard's fingerprint file (looked up as written, then next to
  its JSON file) and reports the distinct states of their union.
  --json            one JSON document on stdout`;

interface ShardDoc {
  readonly file: string;
  readonly scenario: string;
  readonly design: string;
  readonly mutations: readonly string[];
  readonly expected: Expectation;
  readonly verdict: 'holds' | 'violated' | 'incomplete';
  readonly violation?: { kind: string; invariant: string; message: string; steps: number };
  readonly incompleteReason?: string;
  readonly stats: { distinctStates: number; transitions: number; maxDepth: number; elapsedMs: number };
  readonly shard: { index: number; count: number; depth: number | null; fingerprints: string };
  readonly trace?: unknown;
}

function readShard(file: string): ShardDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON'} (expected the output of memdesc-mc check --shard I/N --json)`);
  }
  const run = (doc as { runs?: unknown[] } | null)?.runs?.[0] as Partial<ShardDoc> | undefined;
  const s = run?.shard;
  if (run === undefined || s === undefined || typeof s.index !== 'number' || typeof s.count !== 'number' || typeof s.fingerprints !== 'string' ||
      typeof run.scenario !== 'string' || typeof run.design !== 'string' || typeof run.verdict !== 'string' || run.stats === undefined) {
    throw new InputError(`${file}: not a shard result (expected the --json output of memdesc-mc check --shard I/N)`);
  }
  return { ...(run as ShardDoc), file };
}

/** The shard's fingerprint file: as written (relative to here), else beside its JSON file. */
function fingerprintPath(d: ShardDoc): string {
  const candidates = [resolve(d.shard.fingerprints), resolve(dirname(d.file), d.shard.fingerprints), resolve(dirname(d.file), basename(d.shard.fingerprints))];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new InputError(`${d.file}: its fingerprint file ${d.shard.fingerprints} is neither where it was written nor next to the JSON file`);
  return found;
}

export interface Merged {
  readonly scenario: string;
  readonly design: string;
  readonly mutations: readonly string[];
  readonly expected: Expectation;
  readonly verdict: 'holds' | 'violated' | 'incomplete';
  readonly met: boolean;
  readonly shards: { readonly count: number; readonly present: readonly number[]; readonly missing: readonly number[]; readonly depth: number | null };
  readonly distinctStates: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly violation?: ShardDoc['violation'] & { shard: number };
  readonly trace?: unknown;
  readonly incompleteReason?: string;
}

export function mergeShards(files: readonly string[]): Merged {
  if (files.length === 0) throw new InputError('memdesc-mc merge: name the shards\' JSON files (memdesc-mc merge --help)');
  const docs = files.map(readShard);
  const first = docs[0];
  const key = (d: ShardDoc) => `${d.scenario} / ${d.design} / ${d.mutations.join('+') || 'no mutation'} / ${d.shard.count} shards / split depth ${d.shard.depth ?? 'none'}`;
  for (const d of docs) {
    // A shard that ended before the split explored everything: it agrees with any depth.
    const same = d.scenario === first.scenario && d.design === first.design && d.mutations.join('+') === first.mutations.join('+') && d.shard.count === first.shard.count;
    if (!same) throw new InputError(`${d.file}: shard of ${key(d)}, but ${first.file} is of ${key(first)}`);
    if (d.shard.depth !== null && first.shard.depth !== null && d.shard.depth !== first.shard.depth) {
      throw new InputError(`${d.file}: split at depth ${d.shard.depth}, but ${first.file} at depth ${first.shard.depth} (give every shard the same --shard-depth)`);
    }
  }
  const count = first.shard.count;
  const seen = new Map<number, string>();
  for (const d of docs) {
    if (d.shard.index < 0 || d.shard.index >= count) throw new InputError(`${d.file}: shard index ${d.shard.index} outside 0..${count - 1}`);
    const other = seen.get(d.shard.index);
    if (other !== undefined) throw new InputError(`${d.file}: shard ${d.shard.index}/${count} given twice (also ${other})`);
    seen.set(d.shard.index, d.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  const distinctStates = unionCount(docs.map((d) => {
    try {
      return readFingerprintFile(fingerprintPath(d));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError((e as Error).message);
    }
  }));
  const violated = docs.filter((d) => d.verdict === 'violated' && d.violation !== undefined)
    .sort((a, b) => a.violation!.steps - b.violation!.steps)[0];
  const incomplete = docs.filter((d) => d.verdict === 'incomplete');
  const verdict = violated !== undefined ? 'violated' : incomplete.length > 0 || missing.length > 0 ? 'incomplete' : 'holds';
  const reasons = [
    ...(missing.length > 0 ? [`shard(s) ${missing.join(', ')} of ${count} missing`] : []),
    ...incomplete.map((d) => `shard ${d.shard.index}: ${d.incompleteReason ?? 'incomplete'}`),
  ];
  const expected = first.expected;
  const met = 'holds' in expected ? verdict === 'holds' : verdict === 'violated' && violated!.violation!.invariant === expected.violates;
  const depths = docs.map((d) => d.shard.depth).filter((x): x is number => x !== null);
  return {
    scenario: first.scenario,
    design: first.design,
    mutations: first.mutations,
    expected,
    verdict,
    met,
    shards: { count, present: [...seen.keys()].sort((a, b) => a - b), missing, depth: depths.length > 0 ? depths[0] : null },
    distinctStates,
    transitions: docs.reduce((a, d) => a + d.stats.transitions, 0),
    maxDepth: Math.max(...docs.map((d) => d.stats.maxDepth)),
    ...(violated !== undefined ? { violation: { ...violated.violation!, shard: violated.shard.index }, ...(violated.trace !== undefined ? { trace: violated.trace } : {}) } : {}),
    ...(verdict === 'incomplete' ? { incompleteReason: reasons.join('; ') } : {}),
  };
}

export async function runMergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', argv, {
    json: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${MERGE_USAGE}\n`);
    return EXIT_OK;
  }
  const m = mergeShards(positionals);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
  } else {
    const p = palette(!values.json && colorWanted(process.stdout, values['no-color']));
    const verdict = m.verdict === 'violated' ? `violates ${m.violation!.invariant} (shard ${m.violation!.shard}, ${m.violation!.steps} steps)` : m.verdict;
    const exp = 'holds' in m.expected ? 'holds' : `violates ${m.expected.violates}`;
    process.stdout.write(`${renderTable(
      [{ header: 'scenario' }, { header: 'design' }, { header: 'shards' }, { header: 'verdict' }, { header: 'states (union)', align: 'right' }, { header: 'expectation' }],
      [[m.scenario, m.design, `${m.shards.present.length}/${m.shards.count}`, verdict, formatCount(m.distinctStates), m.met ? p.green('ok') : p.red(`UNEXPECTED (expected ${exp})`)]],
    )}\n${m.incompleteReason ? `\nincomplete: ${m.incompleteReason}\n` : ''}`);
  }
  return m.met ? EXIT_OK : EXIT_FAILED;
}
