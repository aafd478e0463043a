import { match } from 'ts-pattern';
import type { Design } from './designs.js';
import type { DesignDoc } from './design-doc.js';
import { legacyDesign } from './legacy/index.js';
import { zpdescDesign } from './zpdesc/index.js';
import { memdescDesign } from './memdesc/index.js';

export function designDoc(d: Design): DesignDoc {
  return match(d)
    .with('legacy', () => legacyDesign)
    .with('zpdesc', () => zpdescDesign)
    .with('memdesc', () => memdescDesign)
    .exhaustive();
}
