/**
 * The compressors zram and zswap offer, where Node 20 or an npm package provides one: lz4 (lz4js,
 * pure JavaScript, a raw LZ4 block as the kernel's LZ4_compress_default() writes), zstd (the
 * reference library built to WebAssembly, level 3 = zram's default ZSTD_CLEVEL_DEFAULT, a zstd frame
 * as zstd_compress_cctx() writes) and deflate (Node's zlib, raw deflate with crypto/deflate.c's
 * window of 2^11 and default level). lzo/lzo-rle have no npm package that runs without a native
 * build, so they are refused with a one-line reason. Each page is compressed on its own, as zram
 * compresses each page it stores.
 */
import { createRequire } from 'node:module';
import { deflateRawSync, constants } from 'node:zlib';
import { DensityInputError } from './inputs.js';

export type CompressorName = 'lz4' | 'zstd' | 'deflate';
export const COMPRESSORS: readonly CompressorName[] = ['lz4', 'zstd', 'deflate'];

export interface Compressor {
  readonly name: CompressorName;
  /** What produced the sizes, for reports. */
  readonly implementation: string;
  /** Compressed length of one page; a page that does not shrink reports its own length or more. */
  compressedLength(page: Uint8Array): number;
}

interface Lz4Js {
  compressBound(n: number): number;
  compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
}

interface ZstdWasm {
  init(path?: string): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
}

const require = createRequire(import.meta.url);

function lz4(): Compressor {
  const lib = require('lz4js') as Lz4Js;
  const hashTable = new Uint32Array(1 << 16);
  let dst = new Uint8Array(0);
  return {
    name: 'lz4',
    implementation: 'lz4js 0.2.0 (LZ4 block)',
    compressedLength(page) {
      if (dst.length < lib.compressBound(page.length)) dst = new Uint8Array(lib.compressBound(page.length));
      hashTable.fill(0);
      const n = lib.compressBlock(page, dst, 0, page.length, hashTable);
      // lz4js returns 0 when the block does not compress.
      return n === 0 ? page.length : n;
    },
  };
}

async function zstd(): Promise<Compressor> {
  const lib = require('@bokuweb/zstd-wasm') as ZstdWasm;
  await lib.init();
  return {
    name: 'zstd',
    implementation: '@bokuweb/zstd-wasm 0.0.27 (zstd level 3 frame)',
    compressedLength: (page) => lib.compress(page, 3).length,
  };
}

function deflate(): Compressor {
  return {
    name: 'deflate',
    implementation: `Node ${process.versions.node} zlib ${process.versions.zlib} (raw deflate, window 2^11)`,
    compressedLength: (page) => deflateRawSync(page, { level: constants.Z_DEFAULT_COMPRESSION, windowBits: 11, memLevel: 9 }).length,
  };
}

export async function loadCompressor(name: string): Promise<Compressor> {
  switch (name) {
    case 'lz4':
      return lz4();
    case 'zstd':
      return zstd();
    case 'deflate':
      return deflate();
    case 'lzo':
    case 'lzo-rle':
      throw new DensityInputError(`--compressor ${name}: no npm package provides ${name} without a native build; use lz4, zstd or deflate`);
    default:
      throw new DensityInputError(`--compressor '${name}' is not one of ${COMPRESSORS.join(', ')}`);
  }
}
