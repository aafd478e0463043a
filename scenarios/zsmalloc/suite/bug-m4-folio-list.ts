import { spanningPool, type Scenario } from '../types.js';
import { A, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-m4-folio-list',
  title: 'M4: the core\'s isolated list holds the zspage and loses the page',
  description: 'Isolating page 1 links page_folio(page 1) = the zspage on the core list; migrate_page(dst, &folio->page) then names the zspage\'s first page, which was never isolated.',
  designs: ['memdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [{ name: 'migrate', ops: [migrate([1], false)] }],
  mutation: 'M4',
  bounds: { maxStates: 50_000 },
  expect: { memdesc: { violates: 'isolation-identity' } },
};
