import type { ActionProperty } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { ZSPAGE_MAGIC } from '../../model/zsmalloc/fields.js';
import { describedBy } from './helpers.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { fieldsOf } from './reads.js';

/**
 * Guarded-by declarations (§5 inv. 12), checked Eraser-style on every write: each declared
 * field has the lock that must be held by the writing thread. Declared: the size_class stats
 * and the zspage bookkeeping that class->lock protects (inuse, freeobj, the fullness/class
 * bitfield word, list membership, and E2's `isolated`, which shares the word: the A6 fix put
 * it under the same lock). A zspage still private to the thread that builds it
 * (alloc_zspage) or being released (its magic cleared by this very step) is exempt, as the
 * kernel writes those without the lock. The handle word and the chain links are not declared
 * here: their guards change along the object's life (unpublished handle, page lock on reset)
 * and handle-consistency / chain-integrity check them.
 */
export const docs: InvariantDoc[] = [
  { name: 'guarded-by', kind: 'step', designs: allDesigns,
    description: 'Every write to a class stat or to a zspage\'s inuse, freeobj, fullness/class word, list membership or (E2) isolated count is made holding that class\'s class->lock (fields sharing a word share its lock).',
    kernelRule: 'mm/zsmalloc.c struct size_class "lock" comment, class_stat_add/sub, insert_zspage/remove_zspage, obj_malloc/obj_free; 4b5d1e47b694 "zsmalloc: fix races between modifications of fullness and isolated"' },
];

export function actionProperties(m: Machine): ActionProperty[] {
  const privateSteps = new Set(['alloc_zspage:cache_alloc_zspage', 'alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'alloc_zspage:undo']);
  const f = m.f;
  // field index -> [zspage or -1, class or -1, what]
  const guard = new Map<number, { z: number; c: number }>();
  // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose field indices do not exist (undefined >= 0 is false); `>=` (no iteration) fails every test
  for (let z = 0; z < m.K; z++) {
    // Stryker disable next-line UnaryOperator: a zspage field's class is read from the state at the write, so its entry's `c` is never used
    for (const a of [f.zInuse, f.zFreeobj, f.zFullness, f.zClass, f.zList, f.zIsolated]) if (a[z] >= 0) guard.set(a[z], { z, c: -1 });
  }
  for (let c = 0; c < m.pool.classes.length; c++) {
    for (const i of [...f.classStat[c], f.classAllocated[c], f.classInuse[c]]) guard.set(i, { z: -1, c });
  }
  // The same as flat tables, read on every transition: the declared fields, and per field
  // its zspage (or -1) and class (or -1).
  const fields = Int32Array.from(guard.keys());
  // Stryker disable UnaryOperator: the default is never read: the check reads only the entries of `fields`, each set below
  const guardZ = new Int32Array(f.fields.length).fill(-1);
  const guardC = new Int32Array(f.fields.length).fill(-1);
  // Stryker restore UnaryOperator
  for (const [i, g] of guard) { guardZ[i] = g.z; guardC[i] = g.c; }
  const privateStep = Uint8Array.from(m.stepTable, (st) => (privateSteps.has(st.label) ? 1 : 0));
  return [{
    name: 'guarded-by',
    description: describedBy(docs, 'guarded-by'),
    reads: fieldsOf(Array.from(fields), f.zMagic, f.zClass, f.classLock),
    // Only a write to a declared field can break it (the search skips the other transitions).
    changes: Array.from(fields),
    check(before, a, after) {
      if (privateStep[a.label] === 1) return null;
      const me = a.thread + 1;
      // Stryker disable next-line EqualityOperator: `<=` also visits index fields.length, whose field index does not exist (undefined on both sides: unchanged); `>=` (no iteration) fails every test
      for (let k = 0; k < fields.length; k++) {
        const i = fields[k];
        if (before[i] === after[i]) continue;
        let c = guardC[i];
        const z = guardZ[i];
        if (z >= 0) {
          if (before[f.zMagic[z]] !== ZSPAGE_MAGIC || after[f.zMagic[z]] !== ZSPAGE_MAGIC) continue;
          c = before[f.zClass[z]];
        }
        if (before[f.classLock[c]] === me || after[f.classLock[c]] === me) continue;
        return `${m.threadNames[a.thread]} writes ${f.fields[i].name} at ${m.stepTable[a.label].label} without class[${c}].lock`;
      }
      return null;
    },
  }];
}
