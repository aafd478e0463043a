import { describe, expect, it } from 'vitest';
import { Btf, BtfError, structLayout, typeName } from '../../model/btf/index.js';
import { buildBtf, type SynthType } from './btf-builder.js';
import { FIXTURE_BTF } from './fixture.js';

function open(types: SynthType[], bigEndian = false): Btf {
  return new Btf(buildBtf(types, { bigEndian }).bytes, 'synthetic.btf');
}

function errorOf(f: () => unknown): BtfError {
  try {
    f();
  } catch (e) {
    if (e instanceof BtfError) return e;
    throw new Error(`expected a BtfError, got ${String(e)}`);
  }
  throw new Error('expected a BtfError, got a result');
}

// ids:                1 int            2 long unsigned int                     3 struct list_head
const base: SynthType[] = [
  { kind: 'int', name: 'unsigned int', size: 4 },
  { kind: 'int', name: 'long unsigned int', size: 8 },
  { kind: 'struct', name: 'list_head', size: 16, members: [{ name: 'next', type: 4, bitOffset: 0 }, { name: 'prev', type: 4, bitOffset: 64 }] },
  { kind: 'ptr', type: 3 }, // 4: struct list_head *
];

describe('BTF record decoding', () => {
  it('decodes every one of the 19 kinds with the fields it was encoded with', () => {
    const types: SynthType[] = [
      { kind: 'int', name: 'int', size: 4, encoding: 1 }, // 1
      { kind: 'ptr', type: 1 }, // 2
      { kind: 'array', elem: 1, index: 1, nelems: 7 }, // 3
      { kind: 'struct', name: 's', size: 8, members: [{ name: 'a', type: 1, bitOffset: 32 }] }, // 4
      { kind: 'union', name: 'u', size: 4, members: [{ name: 'b', type: 1, bitOffset: 0 }] }, // 5
      { kind: 'enum', name: 'e', size: 4, signed: true, values: [{ name: 'NEG', value: -3 }] }, // 6
      { kind: 'fwd', name: 'opaque', union: true }, // 7
      { kind: 'typedef', name: 'int_t', type: 1 }, // 8
      { kind: 'volatile', type: 1 }, // 9
      { kind: 'const', type: 1 }, // 10
      { kind: 'restrict', type: 2 }, // 11
      { kind: 'func', name: 'f', type: 13, linkage: 1 }, // 12
      { kind: 'func_proto', ret: 1, params: [{ name: 'x', type: 1 }] }, // 13
      { kind: 'var', name: 'v', type: 1, linkage: 1 }, // 14
      { kind: 'datasec', name: '.data', size: 4, vars: [{ type: 14, offset: 0, size: 4 }] }, // 15
      { kind: 'float', name: 'double', size: 8 }, // 16
      { kind: 'decl_tag', name: 'tag', type: 4, componentIdx: -1 }, // 17
      { kind: 'type_tag', name: 'rcu', type: 1 }, // 18
      { kind: 'enum64', name: 'e64', size: 8, values: [{ name: 'BIG', value: 1n << 40n }] }, // 19
    ];
    const btf = open(types);
    expect(btf.typeCount).toBe(20);
    const kinds = Array.from({ length: 19 }, (_, i) => btf.type(i + 1).kind);
    expect(kinds).toEqual([
      'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE', 'CONST',
      'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
    ]);
    expect(btf.type(1)).toMatchObject({ name: 'int', size: 4, bits: 32, signed: true });
    expect(btf.type(3)).toMatchObject({ elemType: 1, indexType: 1, nelems: 7 });
    expect(btf.type(4)).toMatchObject({ name: 's', size: 8, members: [{ name: 'a', type: 1, bitOffset: 32, bitfieldSize: 0 }] });
    expect(btf.type(6)).toMatchObject({ values: [{ name: 'NEG', value: -3 }] });
    expect(btf.type(7)).toMatchObject({ name: 'opaque', union: true });
    expect(btf.type(12)).toMatchObject({ name: 'f', type: 13, linkage: 1 });
    expect(btf.type(13)).toMatchObject({ returnType: 1, params: [{ name: 'x', type: 1 }] });
    expect(btf.type(15)).toMatchObject({ vars: [{ type: 14, offset: 0, size: 4 }] });
    expect(btf.type(17)).toMatchObject({ name: 'tag', type: 4, componentIdx: -1 });
    expect(btf.type(19)).toMatchObject({ values: [{ name: 'BIG', value: 1n << 40n }] });
  });

  it('reads a big-endian file (magic 0xeB9F in big-endian order) to the same layout', () => {
    const types: SynthType[] = [
      ...base,
      { kind: 'struct', name: 'zspage', size: 24, members: [{ name: 'inuse', type: 1, bitOffset: 0 }, { name: 'list', type: 3, bitOffset: 64 }] },
    ];
    const le = open(types);
    const be = open(types, true);
    expect(be.header.littleEndian).toBe(false);
    expect(structLayout(be, 'zspage')).toEqual(structLayout(le, 'zspage'));
  });
});

describe('struct layouts from BTF', () => {
  it('puts bitfields at their absolute bit offset in both encodings (kind_flag and INT nr_bits/offset)', () => {
    const btf = open([
      { kind: 'int', name: 'unsigned int', size: 4 }, // 1
      { kind: 'int', name: 'unsigned int', size: 4, bits: 9, offset: 5 }, // 2: old-style bitfield type
      {
        kind: 'struct', name: 'kf', size: 8, kindFlag: true,
        members: [
          { name: 'huge', type: 1, bitOffset: 0, bitfieldSize: 1 },
          { name: 'class', type: 1, bitOffset: 5, bitfieldSize: 9 },
          { name: 'inuse', type: 1, bitOffset: 32 },
        ],
      }, // 3
      { kind: 'struct', name: 'old', size: 4, members: [{ name: 'class', type: 2, bitOffset: 0 }] }, // 4
    ]);
    expect(structLayout(btf, 'kf').members).toEqual([
      { name: 'huge', typeName: 'unsigned int', bitOffset: 0, size: 4, bitSize: 1 },
      { name: 'class', typeName: 'unsigned int', bitOffset: 5, size: 4, bitSize: 9 },
      { name: 'inuse', typeName: 'unsigned int', bitOffset: 32, size: 4 },
    ]);
    expect(structLayout(btf, 'old').members).toEqual([{ name: 'class', typeName: 'unsigned int', bitOffset: 5, size: 4, bitSize: 9 }]);
  });

  it('gives members of nested anonymous structs/unions offsets from the outermost struct', () => {
    const btf = open([
      ...base,
      { kind: 'struct', name: '', size: 24, members: [{ name: 'lru', type: 3, bitOffset: 0 }, { name: 'mapping', type: 2, bitOffset: 128 }] }, // 5
      { kind: 'union', name: '', size: 24, members: [{ name: '', type: 5, bitOffset: 0 }, { name: 'compound_head', type: 2, bitOffset: 0 }] }, // 6
      { kind: 'struct', name: 'page', size: 32, members: [{ name: 'flags', type: 2, bitOffset: 0 }, { name: '', type: 6, bitOffset: 64 }] }, // 7
    ]);
    const page = structLayout(btf, 'page');
    const union = page.members[1]!;
    expect(union).toMatchObject({ name: '', aggregate: 'union', bitOffset: 64, size: 24 });
    const inner = union.members![0]!;
    expect(inner.members!.map((m) => [m.name, m.bitOffset])).toEqual([['lru', 64], ['mapping', 192]]);
    expect(union.members![1]).toMatchObject({ name: 'compound_head', bitOffset: 64 });
    // Named struct types stay leaves unless asked for.
    expect(inner.members![0]!.members).toBeUndefined();
    const expanded = structLayout(btf, 'page', { expandNamed: true });
    expect(expanded.members[1]!.members![0]!.members![0]!.members!.map((m) => [m.name, m.bitOffset])).toEqual([['next', 64], ['prev', 128]]);
  });

  it('derives alignment from members: natural, packed, and 4-byte pointers when long is 4 bytes', () => {
    const btf = open([
      { kind: 'int', name: 'char', size: 1 }, // 1
      { kind: 'int', name: 'long unsigned int', size: 8 }, // 2
      { kind: 'struct', name: 'natural', size: 16, members: [{ name: 'c', type: 1, bitOffset: 0 }, { name: 'l', type: 2, bitOffset: 64 }] },
      { kind: 'struct', name: 'packed', size: 9, members: [{ name: 'c', type: 1, bitOffset: 0 }, { name: 'l', type: 2, bitOffset: 8 }] },
      { kind: 'struct', name: 'chars', size: 3, members: [{ name: 'c', type: 1, bitOffset: 0 }] },
    ]);
    expect(structLayout(btf, 'natural').align).toBe(8);
    expect(structLayout(btf, 'packed').align).toBe(1);
    expect(structLayout(btf, 'chars').align).toBe(1);
    const ilp32 = open([
      { kind: 'int', name: 'long unsigned int', size: 4 }, // 1
      { kind: 'int', name: 'long long unsigned int', size: 8 }, // 2
      { kind: 'struct', name: 's', size: 12, members: [{ name: 'p', type: 4, bitOffset: 0 }, { name: 'q', type: 2, bitOffset: 32 }] }, // 3
      { kind: 'ptr', type: 3 }, // 4
    ]);
    expect(ilp32.pointerSize()).toBe(4);
    expect(structLayout(ilp32, 's')).toMatchObject({ size: 12, align: 4, members: [{ size: 4 }, { size: 8 }] });
  });

  it('infers explicit __aligned() from tail padding or an unexplained hole, as a lower bound', () => {
    const btf = open([
      { kind: 'int', name: 'long unsigned int', size: 8 }, // 1
      // 56 bytes of longs padded to 64: __aligned(16) at least (roundup(56, 16) == 64).
      { kind: 'struct', name: 'padded', size: 64, members: [{ name: 'a', type: 1, bitOffset: 0 }, { name: 'b', type: 1, bitOffset: 48 * 8 }] },
      // b at 64 after a ends at 8: b's alignment is at least 64.
      { kind: 'struct', name: 'holed', size: 128, members: [{ name: 'a', type: 1, bitOffset: 0 }, { name: 'b', type: 1, bitOffset: 64 * 8 }] },
      // Natural: no padding beyond the members' own alignment.
      { kind: 'struct', name: 'plain', size: 16, members: [{ name: 'a', type: 1, bitOffset: 0 }, { name: 'b', type: 1, bitOffset: 64 }] },
    ]);
    expect(structLayout(btf, 'padded').align).toBe(16);
    expect(structLayout(btf, 'holed').align).toBe(64);
    expect(structLayout(btf, 'plain').align).toBe(8);
  });

  it('spells types as C does: pointers, arrays, qualifiers, function pointers', () => {
    const btf = open([
      { kind: 'int', name: 'char', size: 1 }, // 1
      { kind: 'const', type: 1 }, // 2
      { kind: 'ptr', type: 2 }, // 3: const char *
      { kind: 'ptr', type: 1 }, // 4: char *
      { kind: 'const', type: 4 }, // 5: char *const
      { kind: 'array', elem: 4, index: 1, nelems: 4 }, // 6: char *[4]
      { kind: 'array', elem: 1, index: 1, nelems: 8 }, // 7: char[8]
      { kind: 'ptr', type: 7 }, // 8: char (*)[8]
      { kind: 'fwd', name: 'page' }, // 9
      { kind: 'ptr', type: 9 }, // 10: struct page *
      { kind: 'func_proto', ret: 1, params: [{ name: 'p', type: 10 }, { name: '', type: 0 }] }, // 11
      { kind: 'ptr', type: 11 }, // 12: char (*)(struct page *, ...)
      { kind: 'func_proto', ret: 0, params: [] }, // 13
      { kind: 'ptr', type: 13 }, // 14: void (*)(void)
      { kind: 'ptr', type: 0 }, // 15: void *
      { kind: 'volatile', type: 15 }, // 16: void *volatile
    ]);
    const spelled = [3, 4, 5, 6, 7, 8, 10, 12, 14, 15, 16].map((id) => typeName(btf, id));
    expect(spelled).toEqual([
      'const char *', 'char *', 'char *const', 'char *[4]', 'char[8]', 'char (*)[8]', 'struct page *',
      'char (*)(struct page *, ...)', 'void (*)(void)', 'void *', 'void *volatile',
    ]);
  });

  it('reads the 6.18 struct zspage and page of the fixture as the kernel lays them out', () => {
    const btf = Btf.load(FIXTURE_BTF);
    const zspage = structLayout(btf, 'zspage', { expandNamed: true });
    expect(zspage).toMatchObject({ kind: 'struct', name: 'zspage', size: 56, align: 8 });
    const byName = new Map(zspage.members.map((m) => [m.name, m]));
    expect(byName.get('list')).toMatchObject({ typeName: 'struct list_head', bitOffset: 24 * 8, size: 16 });
    expect(byName.get('zsl')!.members!.find((m) => m.name === 'cnt')).toMatchObject({ typeName: 'int', bitOffset: 52 * 8, size: 4 });
    const page = structLayout(btf, 'page');
    expect(page).toMatchObject({ size: 64, align: 8 });
    expect(page.members.map((m) => [m.name, m.bitOffset / 8, m.size])).toEqual([
      ['flags', 0, 8], ['', 8, 40], ['', 48, 4], ['_refcount', 52, 4], ['memcg_data', 56, 8],
    ]);
    expect(page.members[0]!.typeName).toBe('memdesc_flags_t');
  });
});

describe('malformed BTF gives one typed error naming the file and the byte offset', () => {
  const good = buildBtf([...base, { kind: 'struct', name: 's', size: 16, members: [{ name: 'l', type: 3, bitOffset: 0 }] }]);

  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['bad magic', (b) => { const c = b.slice(); c[0] = 0x7f; return c; }, /^synthetic\.btf: bad magic 0x7feb .* at byte 0$/],
    ['bad version', (b) => { const c = b.slice(); c[2] = 2; return c; }, /^synthetic\.btf: unsupported BTF version 2 at byte 2$/],
    ['truncated header', (b) => b.slice(0, 10), /^synthetic\.btf: truncated header at byte 10$/],
    ['truncated string section', (b) => b.slice(0, b.length - 3), /^synthetic\.btf: truncated string section .* at byte \d+$/],
    ['truncated type section', (b) => b.slice(0, good.typeStart + 20), /^synthetic\.btf: truncated type section .* at byte \d+$/],
    ['unknown kind', (b) => { const c = b.slice(); c[good.recordOffsets[2]! + 7] = 25; return c; }, /^synthetic\.btf: unknown BTF kind 25 \(type id 2\) at byte \d+$/],
  ];
  for (const [what, mangle, message] of cases) {
    it(`reports ${what}`, () => {
      const e = errorOf(() => new Btf(mangle(good.bytes), 'synthetic.btf'));
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain('\n');
    });
  }

  it('reports a record whose type_len cuts a struct short, at the start of that record', () => {
    const b = good.bytes.slice();
    const view = new DataView(b.buffer);
    // Shrink type_len by 4: the last struct's member list then overruns the type section.
    view.setUint32(12, view.getUint32(12, true) - 4, true);
    const e = errorOf(() => new Btf(b, 'synthetic.btf'));
    expect(e.code).toBe('truncated');
    expect(e.byteOffset).toBe(good.recordOffsets[5]);
  });

  it('reports a type reference out of range at the byte holding it', () => {
    const b = good.bytes.slice();
    const memberType = good.recordOffsets[5]! + 12 + 4;
    new DataView(b.buffer).setUint32(memberType, 999, true);
    const e = errorOf(() => structLayout(new Btf(b, 'synthetic.btf'), 's'));
    expect(e.message).toBe(`synthetic.btf: type id 999 out of range (5 types) at byte ${memberType}`);
  });

  it('reports a name offset outside the string section', () => {
    const b = good.bytes.slice();
    new DataView(b.buffer).setUint32(good.recordOffsets[5]!, 0xffff, true);
    const e = errorOf(() => new Btf(b, 'synthetic.btf').findAggregates('s'));
    expect(e.code).toBe('bad-string');
    expect(e.byteOffset).toBe(good.recordOffsets[5]);
  });

  it('detects cycles: typedef loop, struct containing itself, self-referencing pointer', () => {
    const typedefLoop = open([
      { kind: 'typedef', name: 'a', type: 2 },
      { kind: 'typedef', name: 'b', type: 1 },
      { kind: 'struct', name: 's', size: 8, members: [{ name: 'x', type: 1, bitOffset: 0 }] },
    ]);
    expect(errorOf(() => structLayout(typedefLoop, 's')).code).toBe('cycle');
    const selfContaining = open([
      { kind: 'struct', name: '', size: 8, members: [{ name: 'x', type: 2, bitOffset: 0 }] },
      { kind: 'struct', name: '', size: 8, members: [{ name: 'y', type: 1, bitOffset: 0 }] },
      { kind: 'struct', name: 's', size: 8, members: [{ name: 'z', type: 1, bitOffset: 0 }] },
    ]);
    expect(errorOf(() => structLayout(selfContaining, 's')).code).toBe('cycle');
    const ptrLoop = open([
      { kind: 'ptr', type: 1 },
      { kind: 'struct', name: 's', size: 8, members: [{ name: 'p', type: 1, bitOffset: 0 }] },
    ]);
    expect(errorOf(() => structLayout(ptrLoop, 's')).code).toBe('cycle');
  });

  it('names a missing struct, and an unreadable file', () => {
    expect(errorOf(() => structLayout(open(base), 'zspage')).message).toBe("synthetic.btf: no struct or union named 'zspage'");
    expect(errorOf(() => Btf.load('/nonexistent/vmlinux', 'vmlinux')).message).toBe('vmlinux: no such file');
  });
});
