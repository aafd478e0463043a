import type { ActionProperty, StateVector } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { describedBy } from './helpers.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { fieldsOf } from './reads.js';

/**
 * Lock rules of the acquiring step (§5 inv. 9), checked on every transition:
 * - lock-order: a blocking acquisition (a step that waits while the lock is taken: it has an
 *   `enabled` guard) never takes a lock ranked before one the thread already holds. Ranks
 *   follow the order mm/zsmalloc.c documents (page_lock -> pool->lock -> class->lock ->
 *   zspage->lock; memdesc: the zspage's PG_locked is the page lock). E2 has no pool lock and
 *   nests the handle pin, then migrate_read_lock(zspage), then class->lock (zs_free,
 *   zs_map_object). Trylocks (steps without a guard) never wait and are exempt, as in lockdep.
 *   The order is checked per acquisition on the path taken, so an inversion is reported even
 *   where no deadlock is reachable in the scenario; a search-wide "held A, then B" graph is not
 *   built (its report could not be replayed from one trace).
 * - no-sleep-under-spinlock: a step whose kernel code may sleep (folio_lock, wait_on_page_locked,
 *   wait_event, flush_work) runs with no spinning lock held: pool->lock (rwlock), class->lock,
 *   E2's zspage rwlock, the zspage lock's writer side (6.15 zspage_lock keeps its spinlock),
 *   HANDLE_PIN_BIT. Page locks and the 6.15+ zspage read side may be held across a sleep.
 */
export const docs: InvariantDoc[] = [
  { name: 'lock-order', kind: 'step', designs: allDesigns,
    description: 'A blocking lock acquisition never takes a lock that the documented order puts before one already held (page lock, pool->lock, class->lock, zspage lock; E2: page lock, handle pin, zspage lock, class->lock).',
    kernelRule: 'mm/zsmalloc.c header comment "Locking order": page_lock -> pool->lock -> class->lock -> zspage->lock; lockdep circular-dependency check' },
  { name: 'no-sleep-under-spinlock', kind: 'step', designs: allDesigns,
    description: 'No step that may sleep (folio_lock, wait_on_page_locked, wait_event, flush_work) runs while the thread holds a spinning lock.',
    kernelRule: 'might_sleep()/"BUG: sleeping function called from invalid context"; mm/zsmalloc.c free_zspage: "Since zs_free couldn\'t be sleepable, this function cannot call lock_page"' },
];

interface HeldLock { readonly name: string; readonly rank: number; readonly spinning: boolean }

function classify(m: Machine, name: string): HeldLock {
  const legacy = m.design === 'legacy';
  if (name.includes('PG_locked')) return { name, rank: 0, spinning: false };
  if (name.startsWith('pool.lock')) return { name, rank: 1, spinning: true };
  if (name.includes('HANDLE_PIN_BIT')) return { name, rank: 1, spinning: true };
  if (name.startsWith('class[')) return { name, rank: legacy ? 3 : 2, spinning: true };
  // zspage[z].lock (E2 rwlock: spinning both sides) or zspage[z].zsl (6.15: the writer keeps
  // the spinlock, readers drop it and may sleep).
  return { name, rank: legacy ? 2 : 3, spinning: legacy || name.endsWith('(write)') };
}


export function actionProperties(m: Machine): ActionProperty[] {
  const f = m.f;
  // Machine.locksHeld: every lock word and owner record.
  const locks = fieldsOf(f.poolWriter, f.poolReaders, f.classLock, f.zslWriter, f.zslReaders, f.zLocked, f.pLocked, f.hPin);
  const lockList = m.lockFields();
  const lockFields = Int32Array.from(lockList, (l) => l.field);
  const readerBits = Uint8Array.from(lockList, (l) => (l.readerBits ? 1 : 0));
  const holds = (s: Int32Array, k: number, t: number): boolean =>
    readerBits[k] === 1 ? ((s[lockFields[k]] >> t) & 1) === 1 : s[lockFields[k]] === t + 1;
  // Machine.locksHeld's records in its order, each classified once: the checks below walk
  // them instead of listing the held locks by name (strings built on every acquisition).
  const records = m.lockRecords();
  const recordLock = records.map((r) => classify(m, r.name));
  const recordField = Int32Array.from(records, (r) => r.field);
  const recordReaderBits = Uint8Array.from(records, (r) => (r.readerBits ? 1 : 0));
  const recordRank = Int32Array.from(recordLock, (l) => l.rank);
  const recordSpinning = Uint8Array.from(recordLock, (l) => (l.spinning ? 1 : 0));
  /** Whether thread t holds record r's lock in s (Machine.locksHeld's test). */
  const heldIn = (s: StateVector, r: number, t: number): boolean =>
    recordReaderBits[r] === 1 ? ((s[recordField[r]] >> t) & 1) === 1 : s[recordField[r]] === t + 1;
  // Per step label, whether its kernel code may sleep: fixed for the machine (its mutations),
  // so looked up once here instead of on every transition.
  // Per step label, whether it is a blocking acquisition (it has an `enabled` guard): read off
  // the step definitions once, whose many shapes make `.enabled` a megamorphic load.
  const blocking = Uint8Array.from(m.stepTable, (st) => (st.enabled ? 1 : 0));
  const sleepsAt = Uint8Array.from(m.stepTable, (st) => ((typeof st.sleeps === 'function' ? st.sleeps(m) : st.sleeps === true) ? 1 : 0));
  // The labels each check looks at (its first test), declared so the search skips the others.
  const labelsWhere = (table: Uint8Array): number[] => Array.from(table.keys()).filter((l) => table[l] === 1);
  return [
    {
      name: 'lock-order',
      description: describedBy(docs, 'lock-order'),
      reads: locks,
      // Only a lock field that changes can give the thread a lock it did not hold.
      changes: Array.from(lockFields),
      // Trylocks never wait: only the blocking acquisitions are checked.
      labels: labelsWhere(blocking),
      check(before, a, after) {
        if (blocking[a.label] === 0) return null;
        // Only a lock the thread did not hold before can break the order: found from the lock
        // fields (this runs on every transition) before the held locks are listed by name.
        // Stryker disable next-line BooleanLiteral: starting at `true` skips this pre-filter: the full comparison of held locks below then finds no new lock and reports nothing, as the filter would
        let acquired = false;
        // Stryker disable next-line EqualityOperator: `<=` also visits index lockFields.length, whose field does not exist (undefined on both sides: unchanged); `>=` (no iteration) fails every test
        for (let k = 0; k < lockFields.length && !acquired; k++) {
          acquired = before[lockFields[k]] !== after[lockFields[k]] && holds(after, k, a.thread) && !holds(before, k, a.thread);
        }
        if (!acquired) return null;
        // Each lock newly held after the step, in locksHeld order, against the first lock
        // held before it that the order ranks after it.
        const t = a.thread;
        // Stryker disable next-line EqualityOperator: `<=` also visits index records.length, whose field does not exist (undefined: not held), and the body skips it; `>=` (no iteration) fails every test
        for (let g = 0; g < records.length; g++) {
          if (!heldIn(after, g, t) || heldIn(before, g, t)) continue;
          // Stryker disable next-line EqualityOperator: `<=` also visits index records.length, whose field does not exist (undefined: not held), and the body skips it; `>=` (no iteration) fails every test
          for (let h = 0; h < records.length; h++) {
            if (heldIn(before, h, t) && recordRank[h] > recordRank[g]) {
              return `${m.threadNames[t]} blocks on ${records[g].name} at ${m.stepTable[a.label].label} while holding ${records[h].name}, which the locking order puts after it`;
            }
          }
        }
        return null;
      },
    },
    {
      name: 'no-sleep-under-spinlock',
      description: describedBy(docs, 'no-sleep-under-spinlock'),
      reads: locks,
      labels: labelsWhere(sleepsAt),
      check(before, a) {
        if (sleepsAt[a.label] !== 1) return null;
        // Stryker disable next-line EqualityOperator: `<=` also visits index records.length, whose field does not exist (undefined: not held), and the body skips it; `>=` (no iteration) fails every test
        for (let r = 0; r < records.length; r++) {
          if (recordSpinning[r] === 1 && heldIn(before, r, a.thread)) {
            return `${m.threadNames[a.thread]} may sleep at ${m.stepTable[a.label].label} while holding the spinning lock ${records[r].name}`;
          }
        }
        return null;
      },
    },
  ];
}
