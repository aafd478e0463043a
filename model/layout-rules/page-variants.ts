/**
 * The end state's struct page, when no header supplies it: one word (`memdesc`), or the two-word
 * variant (`allocator`, `allocatee`). Each word is an unsigned long: 8 bytes on LP64, 4 on ILP32.
 */
import type { Abi, StructLayout } from '../layout/types.js';

function words(name: string, names: readonly string[], abi: Abi): StructLayout {
  const word = abi === 'lp64' ? 8 : 4;
  return {
    kind: 'struct',
    name,
    size: names.length * word,
    align: word,
    members: names.map((n, i) => ({ name: n, typeName: 'long unsigned int', bitOffset: i * word * 8, size: word })),
  };
}

export function memdescPage(abi: Abi): StructLayout {
  return words('memdesc_page', ['memdesc'], abi);
}

export function memdescPage2w(abi: Abi): StructLayout {
  return words('memdesc_page_2w', ['allocator', 'allocatee'], abi);
}
