/**
 * Differential test: the table memdesc-mc prints for a BTF struct or union is pahole's, character
 * for character, for every one of the 9,747 structs and unions pahole 1.24 printed from the
 * shipped 6.18 BTF (test/fixtures/kernel-6.18/pahole-6.18.txt.gz: anonymous members expanded
 * inline, bit holes, inferred __packed__/__aligned__ attributes, cacheline boundaries, the
 * size/holes/padding summaries). pahole is the independent oracle: its dump was produced by
 * pahole itself; the printer under test is model/btf/pahole-print.ts. No exceptions are listed
 * because none remain (model/layout/README.md).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Btf, PaholePrinter, paholeTable } from '../../model/btf/index.js';
import { FIXTURE_BTF, FIXTURE_PAHOLE, rawFixtureBtf } from './fixture.js';
import { runPahole } from './pahole.js';
import { missing, PAHOLE } from '../tools.js';

/** The dump cut into one block per top-level struct/union, in pahole's order. */
function dumpBlocks(): string[] {
  const blocks: string[] = [];
  let cur: string[] | null = null;
  for (const line of gunzipSync(readFileSync(FIXTURE_PAHOLE)).toString('utf8').split('\n')) {
    if (!cur) {
      if (/^(struct|union) \S+ \{$/.test(line)) cur = [line];
    } else {
      cur.push(line);
      if (/^\}.*;$/.test(line)) {
        blocks.push(cur.join('\n'));
        cur = null;
      }
    }
  }
  return blocks;
}

/** Type ids of each `struct NAME` / `union NAME`, in id order (a name defined twice has two). */
function idsByName(btf: Btf): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let id = 1; id < btf.typeCount; id++) {
    const t = btf.type(id);
    if ((t.kind !== 'STRUCT' && t.kind !== 'UNION') || t.name === '') continue;
    const key = `${t.kind === 'UNION' ? 'union' : 'struct'} ${t.name}`;
    const ids = out.get(key) ?? [];
    ids.push(id);
    out.set(key, ids);
  }
  return out;
}

describe('pahole tables of every struct and union of the 6.18 BTF', () => {
  const blocks = dumpBlocks();
  const btf = Btf.load(FIXTURE_BTF);
  const byName = idsByName(btf);

  /** Pairs each dump block with the type id it prints (the k-th block of a name: its k-th id). */
  const pairs = (() => {
    const seen = new Map<string, number>();
    return blocks.map((text) => {
      const head = text.slice(0, text.indexOf(' {'));
      const k = seen.get(head) ?? 0;
      seen.set(head, k + 1);
      return { head, text, id: byName.get(head)?.[k] };
    });
  })();

  it('the dump pairs with the BTF\'s named structs and unions; the one it leaves out is a same-name, same-size, same-member-count repeat', () => {
    expect(blocks.length).toBe(9747);
    expect(pairs.filter((p) => p.id === undefined)).toEqual([]);
    // pahole prints a second definition of a name only when it differs from the first in size
    // or member count: of the 9,748 named aggregates, `struct elf_note_info` (the compat
    // binfmt's copy, id 18592) is the one such repeat, so it has no table of its own.
    const printed = new Set(pairs.map((p) => p.id));
    const unprinted = [...byName.entries()].flatMap(([head, ids]) => ids.filter((id) => !printed.has(id)).map((id) => ({ head, id, first: ids[0]! })));
    expect(unprinted.map((u) => u.head)).toEqual(['struct elf_note_info']);
    for (const u of unprinted) {
      const [a, b] = [btf.type(u.first), btf.type(u.id)];
      expect(a.kind === 'STRUCT' && b.kind === 'STRUCT' && a.size === b.size && a.members.length === b.members.length).toBe(true);
    }
  });

  it('one pahole run over all of them: every table is identical to pahole 1.24\'s', () => {
    const printer = new PaholePrinter(btf);
    const differ = pairs.filter((p) => printer.print(p.id!) !== p.text).map((p) => p.head);
    expect(differ).toEqual([]);
  });

  it('each struct on its own (pahole -C NAME): identical too, so no table depends on what was printed before', () => {
    const differ = pairs.filter((p) => paholeTable(btf, p.id!) !== p.text).map((p) => p.head);
    expect(differ).toEqual([]);
  });

  it.skipIf(missing(PAHOLE))('a live pahole -C agrees on structs with inline anonymous members, bit holes and inferred attributes', () => {
    const names = ['page', 'folio', 'task_struct', 'sk_buff', 'fred_ss', 'desc_ptr', 'vm_fault', 'filename', 'hrtimer_clock_base'];
    const live = runPahole(['-F', 'btf', '-C', names.join(','), rawFixtureBtf()]);
    for (const name of names) {
      const block = new RegExp(`^struct ${name} \\{\\n[\\s\\S]*?\\n\\}[^\\n]*;$`, 'm').exec(live)?.[0];
      expect(block, name).toBeDefined();
      const id = byName.get(`struct ${name}`)![0]!;
      expect(paholeTable(btf, id)).toBe(block);
    }
  });
});
