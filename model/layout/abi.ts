import type { Abi } from './types.js';
import type { FloatKind, IntKind } from './ctypes.js';

/** Size and natural alignment (`__alignof__`, GCC's TYPE_ALIGN) of a scalar, in bytes. */
export interface ScalarInfo {
  readonly size: number;
  readonly align: number;
}

export interface AbiInfo {
  readonly abi: Abi;
  readonly pointer: ScalarInfo;
  readonly ints: Readonly<Record<IntKind, ScalarInfo>>;
  readonly floats: Readonly<Record<FloatKind, ScalarInfo>>;
  /**
   * The i386 System V ABI aligns 8-byte scalars (long long, double) to 4 inside structs, and
   * C11 `_Alignof` reports that member alignment (GCC's x86_field_alignment, min_align_of_type);
   * a type or member with an explicit `aligned` attribute is exempt. 0 = no cap (x86-64).
   */
  readonly fieldAlignCap: number;
  /** `__attribute__((aligned))` without an argument: the largest alignment of any type. */
  readonly biggestAlignment: number;
}

const common = {
  char: { size: 1, align: 1 },
  'signed char': { size: 1, align: 1 },
  'unsigned char': { size: 1, align: 1 },
  short: { size: 2, align: 2 },
  'unsigned short': { size: 2, align: 2 },
  int: { size: 4, align: 4 },
  'unsigned int': { size: 4, align: 4 },
  'long long': { size: 8, align: 8 },
  'unsigned long long': { size: 8, align: 8 },
  // x86-64 psABI: __int128 is 16 bytes, 16-aligned. On i386 gcc refuses the type (engine.ts).
  __int128: { size: 16, align: 16 },
  'unsigned __int128': { size: 16, align: 16 },
  _Bool: { size: 1, align: 1 },
} as const;

export const LP64: AbiInfo = {
  abi: 'lp64',
  pointer: { size: 8, align: 8 },
  ints: { ...common, long: { size: 8, align: 8 }, 'unsigned long': { size: 8, align: 8 } },
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, 'long double': { size: 16, align: 16 } },
  fieldAlignCap: 0,
  biggestAlignment: 16,
};

export const ILP32: AbiInfo = {
  abi: 'ilp32',
  pointer: { size: 4, align: 4 },
  ints: { ...common, long: { size: 4, align: 4 }, 'unsigned long': { size: 4, align: 4 } },
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, 'long double': { size: 12, align: 4 } },
  fieldAlignCap: 4,
  biggestAlignment: 16,
};

export function abiInfo(abi: Abi): AbiInfo {
  return abi === 'lp64' ? LP64 : ILP32;
}
