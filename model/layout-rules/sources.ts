/**
 * Where each struct a design's rules need comes from: a C header the user proposes (it wins for
 * the structs it defines), the kernel's BTF (the real struct page and the current zsmalloc
 * structs), or, for the end state's one- and two-word struct page, the built-in definition.
 */
import type { Btf } from '../btf/reader.js';
import { structLayout as btfStructLayout } from '../btf/layout.js';
import type { Abi, StructLayout } from '../layout/types.js';
import { designRoles, ROLE_STRUCT } from './designs.js';
import { memdescPage, memdescPage2w } from './page-variants.js';
import type { RoleLayouts } from './evaluate.js';
import type { Design, StructRole } from './rules.js';

export type LayoutSource = 'header' | 'btf' | 'builtin';

export interface SourcedLayout {
  readonly role: StructRole;
  readonly source: LayoutSource;
  readonly layout: StructLayout;
}

export interface LayoutInputs {
  /** Structs laid out from the user's header, by struct name. */
  readonly header?: ReadonlyMap<string, StructLayout>;
  readonly btf?: Btf;
  readonly abi: Abi;
}

/** A struct a design needs is in none of the inputs. */
export class StructNotFoundError extends Error {
  constructor(
    readonly structName: string,
    where: string,
  ) {
    super(`struct ${structName} not found in ${where}`);
    this.name = 'StructNotFoundError';
  }
}

export function collectDesignLayouts(design: Design, inputs: LayoutInputs): SourcedLayout[] {
  const out: SourcedLayout[] = [];
  for (const role of designRoles(design)) {
    const name = ROLE_STRUCT[role];
    const fromHeader = inputs.header?.get(name);
    if (fromHeader) {
      out.push({ role, source: 'header', layout: fromHeader });
      continue;
    }
    if (role === 'memdesc_page' || role === 'memdesc_page_2w') {
      out.push({ role, source: 'builtin', layout: role === 'memdesc_page' ? memdescPage(inputs.abi) : memdescPage2w(inputs.abi) });
      continue;
    }
    if (inputs.btf && inputs.btf.findAggregates(name).length > 0) {
      out.push({ role, source: 'btf', layout: btfStructLayout(inputs.btf, name, { expandNamed: true }) });
      continue;
    }
    const where = [inputs.btf ? inputs.btf.file : undefined, inputs.header ? 'the header' : undefined].filter(Boolean).join(' or ');
    throw new StructNotFoundError(name, where || 'any input');
  }
  return out;
}

export function roleLayouts(sourced: readonly SourcedLayout[]): RoleLayouts {
  const layouts: RoleLayouts = {};
  for (const s of sourced) layouts[s.role] = s.layout;
  return layouts;
}
