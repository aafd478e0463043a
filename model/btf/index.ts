/**
 * BTF reader: the kernel's own type information (/sys/kernel/btf/vmlinux) as StructLayouts, so
 * the design rules check the real `struct page` of a kernel build.
 */
export { BtfError, isBtfError, type BtfErrorCode } from './error.js';
export { Btf, type BtfHeader, type BtfMember, type BtfType, type BtfTypeKind } from './reader.js';
export {
  alignOf,
  resolveType,
  sizeOf,
  structLayout,
  structLayoutById,
  findStructId,
  typeName,
  type BtfLayoutOptions,
} from './layout.js';
export { BtfKind, kindName } from './format.js';
export { PaholePrinter, paholeTable } from './pahole-print.js';
