/**
 * Layout facts stated by the System V psABIs (x86-64 and i386) and GCC's bitfield rules,
 * checked one by one so a regression names the rule it breaks.
 */
import { describe, expect, test } from 'vitest';
import { readHeader, resolveMember, type Abi } from '../../model/layout/index.js';

const lay = (c: string, abi: Abi, name = 's') => readHeader(c, { abi, file: 'abi.h' }).layoutOf(name)!;
const at = (c: string, abi: Abi, path: string) => resolveMember(lay(c, abi), path);

describe('scalar sizes and alignment', () => {
  test('i386 aligns long long and double to 4 inside structs, x86-64 to 8', () => {
    const c = 'struct s { char c; long long ll; char d; double x; };';
    expect([at(c, 'ilp32', 'll').byteStart, at(c, 'ilp32', 'x').byteStart, lay(c, 'ilp32').size, lay(c, 'ilp32').align]).toEqual([4, 16, 24, 4]);
    expect([at(c, 'lp64', 'll').byteStart, at(c, 'lp64', 'x').byteStart, lay(c, 'lp64').size, lay(c, 'lp64').align]).toEqual([8, 24, 32, 8]);
  });
  test('long and pointers are 8 bytes on x86-64 and 4 on i386; long double is 16/16 and 12/4', () => {
    const c = 'struct s { long l; void *p; long double ld; };';
    expect(lay(c, 'lp64').size).toBe(32);
    expect(lay(c, 'ilp32').size).toBe(20);
  });
  test('an explicitly aligned member is not capped on i386', () => {
    const c = 'struct s { char c; long long ll __attribute__((aligned(8))); };';
    expect(at(c, 'ilp32', 'll').byteStart).toBe(8);
  });
});

describe('GCC bitfield rules', () => {
  test('bitfields of different declared types share a storage unit', () => {
    const c = 'struct s { unsigned char a:3; unsigned short b:6; unsigned int c:7; };';
    expect([at(c, 'lp64', 'a').bitStart, at(c, 'lp64', 'b').bitStart, at(c, 'lp64', 'c').bitStart, lay(c, 'lp64').size]).toEqual([0, 3, 9, 4]);
  });
  test('a bitfield that would straddle its type\'s alignment unit moves to the next unit', () => {
    const c = 'struct s { unsigned int a:30; unsigned int b:4; };';
    expect(at(c, 'lp64', 'b').bitStart).toBe(32);
    const s = 'struct s { unsigned char a:7; unsigned short b:10; };';
    expect(at(s, 'lp64', 'b').bitStart).toBe(16);
  });
  test('in a packed struct bitfields straddle', () => {
    const c = 'struct s { unsigned int a:30; unsigned int b:4; } __attribute__((packed));';
    expect([at(c, 'lp64', 'b').bitStart, lay(c, 'lp64').size]).toEqual([30, 5]);
  });
  test('a zero-width bitfield aligns the next field to its type but adds no alignment', () => {
    const c = 'struct s { char a; int :0; char b; };';
    expect([at(c, 'lp64', 'b').byteStart, lay(c, 'lp64').size, lay(c, 'lp64').align]).toEqual([4, 5, 1]);
  });
  test('an unnamed bitfield does not raise the struct alignment, a named one does', () => {
    expect(lay('struct s { char a; int :4; };', 'lp64').align).toBe(1);
    expect(lay('struct s { char a; int b:4; };', 'lp64').align).toBe(4);
  });
  test('a bitfield in a union counts only its bytes', () => {
    const u = lay('union s { char c; int :9; };', 'lp64', 'union s');
    expect([u.size, u.align]).toEqual([2, 1]);
  });
});

describe('attributes and flexible arrays', () => {
  test('aligned(N) on a struct raises its alignment and rounds its size', () => {
    expect(lay('struct s { int a; } __attribute__((aligned(16)));', 'lp64').size).toBe(16);
  });
  test('packed on a member alone drops its alignment', () => {
    expect(at('struct s { char c; int x __attribute__((packed)); };', 'lp64', 'x').byteStart).toBe(1);
  });
  test('a flexible array member has no size but keeps its alignment', () => {
    const c = 'struct s { char c; long tail[]; };';
    expect([at(c, 'lp64', 'tail').byteStart, lay(c, 'lp64').size]).toEqual([8, 8]);
  });
});
