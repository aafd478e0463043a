import type { Scenario } from '../types.js';
import { A, malloc, migrate } from '../ops.js';
import { twoZonePool } from './cross-zone-migration.js';

/** Every free frame in zone 1, so each destination is in the other zone. */
const zone1Free = { ...twoZonePool, zones: [0, 0, 1, 1] };

const broken = { violates: 'nr-zspages-per-zone' } as const;

export const scenario: Scenario = {
  id: 'bug-z1-zone-stat',
  title: 'Z1: zs_page_migrate leaves NR_ZSPAGES with the old zone',
  description: 'Page 0 of a zone-0 zspage migrates into a zone-1 frame and the zone counts are not moved.',
  designs: ['legacy', 'zpdesc', 'memdesc'],
  shape: zone1Free,
  setup: [malloc(A, 1)],
  threads: [{ name: 'core', ops: [migrate([0], false)] }],
  mutation: 'Z1',
  bounds: { maxStates: 100_000 },
  expect: { legacy: broken, zpdesc: broken, memdesc: broken },
};

export const bugZ2: Scenario = {
  ...scenario,
  id: 'bug-z2-zone-through-folio',
  title: 'Z2: memdesc takes page_zone() from the zspage descriptor',
  description: 'Page 0 of a zone-0 zspage migrates into a zone-1 frame; the zone comparison goes through page_folio() (the zspage) for both pages and finds no difference.',
  designs: ['memdesc'],
  mutation: 'Z2',
  expect: { memdesc: { violates: 'nr-zspages-per-zone' } },
};
