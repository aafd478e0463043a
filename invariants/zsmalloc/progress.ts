import type { ProgressProperty } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import type { Op } from '../../model/zsmalloc/program.js';
import { live } from './helpers.js';

/**
 * Progress properties of zsmalloc: checked by the engine's fair-cycle search on the whole
 * reachable graph (explorer/liveness.ts), under the fairness the model declares (strong: the
 * kernel's spinlocks and rwlocks are queued, so a waiter gets the lock once it is released
 * often enough). A counterexample is a lasso: a run that repeats a loop for ever.
 */
export interface ProgressDoc {
  readonly name: string;
  readonly description: string;
  readonly kernelRule: string;
  readonly designs: readonly Design[];
  readonly kind: 'progress';
}

export const docs: ProgressDoc[] = [
  { name: 'zs_free-returns', kind: 'progress', designs: ['legacy', 'zpdesc', 'memdesc'],
    description: 'Every zs_free that is called returns: no fair run keeps a thread inside zs_free for ever.',
    kernelRule: 'mm/zsmalloc.c zs_free (E2: pin_tag spins until the compactor\'s unpin_tag; class->lock is a queued spinlock, kernel/locking/qspinlock.c)' },
  { name: 'migration-returns', kind: 'progress', designs: ['legacy', 'zpdesc', 'memdesc'],
    description: 'Every page migration the core starts (isolate, then migrate or put back) finishes: no fair run keeps a core thread inside it for ever, contention included.',
    kernelRule: 'mm/migrate.c isolate_movable_ops_page / migrate_pages_batch / putback_movable_pages; mm/zsmalloc.c zs_page_migrate (-EBUSY/-EAGAIN returns instead of waiting)' },
  { name: 'empty-zspage-freed', kind: 'progress', designs: ['legacy', 'zpdesc', 'memdesc'],
    description: 'An empty zspage is eventually freed or handed to free_work: no fair run keeps a live zspage with no object and no pending free_work for ever (the end-state rule no-empty-zspage-left, as liveness).',
    kernelRule: 'mm/zsmalloc.c free_zspage / putback_zspage_deferred + schedule free_work, 1a87aa03597e (mutation A3)' },
];

/** A thread is inside an operation (zs_free, a migration) while it is its current operation and
 *  it has not finished it (the helpers it calls, such as free_zspage, count as inside).
 *  Operations only move forward, so in a loop the same threads stay inside the same operations
 *  throughout: "the loop never leaves every zs_free" is "some zs_free never returns". */
function inside(m: Machine, s: Int32Array, t: number, kind: Op['kind']): boolean {
  if (s[m.f.tPc[t]] === m.DONE) return false;
  // Stryker disable next-line OptionalChaining: a thread that is not done is always at an op of its program (ops past the end are DONE)
  return m.programs[t][s[m.f.tOp[t]]]?.kind === kind;
}

function returns(m: Machine, name: string, kind: Op['kind']): ProgressProperty {
  return {
    name,
    description: docs.find((d) => d.name === name)!.description,
    kind: 'always-eventually',
    holds(s) {
      for (let t = 0; t < m.T; t++) if (inside(m, s, t, kind)) return false;
      return true;
    },
  };
}

export function progressProperties(m: Machine): ProgressProperty[] {
  const f = m.f;
  return [returns(m, 'zs_free-returns', 'free'), returns(m, 'migration-returns', 'migrate'), {
    name: 'empty-zspage-freed',
    description: docs.find((d) => d.name === 'empty-zspage-freed')!.description,
    kind: 'always-eventually',
    holds(s) {
      if (s[f.freeWork] === 1) return true;
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live); `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (live(m, s, z) && s[f.zInuse[z]] === 0) return false;
      }
      return true;
    },
  }];
}
