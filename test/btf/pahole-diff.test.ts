/**
 * Differential test: every named struct/union pahole prints from the 6.18 fixture BTF must have
 * the same size, and the same members at the same byte offsets, bit positions, sizes and bitfield
 * widths, in our BTF reader. pahole is the independent ground truth (it has its own BTF loader in
 * libbpf and its own layout printer). The dump pahole 1.24 printed of the fixture is shipped
 * (test/fixtures/kernel-6.18), so the full comparison needs no pahole; the -C test runs a live one.
 */
import { describe, expect, it } from 'vitest';
import type { MemberLayout } from '../../model/layout/types.js';
import { Btf, structLayout } from '../../model/btf/index.js';
import { parsePahole, runPahole, type PaholeMember } from './pahole.js';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FIXTURE_BTF, FIXTURE_PAHOLE, FIXTURE_PAHOLE_SIZES, rawFixtureBtf } from './fixture.js';
import { missing, PAHOLE } from '../tools.js';

function compareMembers(path: string, ours: readonly MemberLayout[], theirs: readonly PaholeMember[], diffs: string[]): number {
  if (ours.length !== theirs.length) {
    diffs.push(`${path}: ${ours.length} members, pahole ${theirs.length}`);
    return 0;
  }
  let compared = 0;
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const p = theirs[i]!;
    const where = `${path}.${p.name || `<anon ${i}>`}`;
    const pBits = p.offset * 8 + (p.bit ?? 0);
    if (o.name !== p.name) diffs.push(`${where}: name ${JSON.stringify(o.name)}`);
    if (o.bitOffset !== pBits) diffs.push(`${where}: bit offset ${o.bitOffset}, pahole ${pBits} (${p.offset}:${p.bit ?? 0})`);
    if (o.size !== p.size) diffs.push(`${where}: size ${o.size}, pahole ${p.size}`);
    if ((o.bitSize ?? 0) !== (p.bitSize ?? 0)) diffs.push(`${where}: bitfield width ${o.bitSize}, pahole ${p.bitSize}`);
    if (p.bitSize !== undefined && o.bitSize !== undefined) {
      // pahole prints a bitfield's storage unit offset; the bit position is then within that unit.
      if (p.bit === undefined) diffs.push(`${where}: pahole printed no bit position`);
    }
    compared++;
    if (p.members) compared += compareMembers(where, o.members ?? [], p.members, diffs);
    else if (o.members && o.members.length > 0) diffs.push(`${where}: expanded here, not by pahole`);
  }
  return compared;
}

describe('BTF reader against pahole on the 6.18 fixture', () => {
  it('matches pahole for every struct/union size, member offset, bit position, size and width', () => {
    const structs = parsePahole(gunzipSync(readFileSync(FIXTURE_PAHOLE)).toString('utf8'));
    // pahole prints no `size:` line for unions; `--sizes` lists every aggregate's size.
    const sizes = new Map<string, number>();
    for (const line of gunzipSync(readFileSync(FIXTURE_PAHOLE_SIZES)).toString('utf8').split('\n')) {
      const [name, size] = line.split('\t');
      if (name && size) sizes.set(name, sizes.has(name) ? -1 : Number(size));
    }
    const seen = new Map<string, number>();
    for (const s of structs) seen.set(s.name, (seen.get(s.name) ?? 0) + 1);

    const btf = Btf.load(FIXTURE_BTF);
    const diffs: string[] = [];
    let structsCompared = 0;
    let membersCompared = 0;
    for (const s of structs) {
      // Names BTF defines more than once (different definitions in different units) are ambiguous.
      if (seen.get(s.name) !== 1 || btf.findAggregates(s.name).length !== 1) continue;
      const ours = structLayout(btf, `${s.kind} ${s.name}`);
      expect(ours.kind).toBe(s.kind);
      if (ours.size !== sizes.get(s.name)) diffs.push(`${s.name}: size ${ours.size}, pahole --sizes ${sizes.get(s.name)}`);
      if (s.kind === 'struct' && ours.size !== s.size) diffs.push(`${s.name}: size ${ours.size}, pahole ${s.size}`);
      membersCompared += compareMembers(s.name, ours.members, s.members, diffs);
      structsCompared++;
    }
    expect(diffs.slice(0, 20)).toEqual([]);
    expect(structsCompared).toBeGreaterThanOrEqual(1000);
    expect(membersCompared).toBeGreaterThanOrEqual(10_000);
    for (const name of ['page', 'folio', 'zpdesc', 'zspage', 'size_class', 'zs_pool'])
      expect(structs.some((s) => s.name === name) && seen.get(name) === 1).toBe(true);
  });

  it.skipIf(missing(PAHOLE))('matches a live pahole -C on the zsmalloc structs, asked for by name in one batch', () => {
    const names = ['page', 'folio', 'zpdesc', 'zspage', 'size_class', 'zs_pool', 'zspage_lock', 'movable_operations'];
    const structs = parsePahole(runPahole(['-F', 'btf', '-C', names.join(','), rawFixtureBtf()]));
    expect(structs.map((s) => s.name).sort()).toEqual([...names].sort());
    const btf = Btf.load(FIXTURE_BTF);
    const diffs: string[] = [];
    for (const s of structs) {
      const ours = structLayout(btf, s.name);
      if (s.kind === 'struct' && ours.size !== s.size) diffs.push(`${s.name}: size ${ours.size}, pahole ${s.size}`);
      compareMembers(s.name, ours.members, s.members, diffs);
    }
    expect(diffs).toEqual([]);
  });
});
