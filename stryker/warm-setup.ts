import { inject } from 'vitest';

/**
 * What a fresh worker thread had at the start of each test file, restored in a warm one
 * (stryker/warm-threads.ts). Stryker's own setup file runs first: for a mutant switched at
 * run time it sets the active mutant in a beforeAll hook, after the test file's imports, so a
 * module first evaluated during those imports must see no active mutant, as in a new thread,
 * not the previous run's.
 */
const ns = (globalThis as Record<string, Record<string, unknown> | undefined>)[inject('globalNamespace' as never) as string];
if (ns !== undefined && inject('mode' as never) === 'mutant' && inject('mutantActivation' as never) !== 'static') ns.activeMutant = undefined;
