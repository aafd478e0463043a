import type { StateVector } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { V } from '../violations.js';

/**
 * zs_shrinker_count -> zs_can_compact for every owning class, highest index first
 * (mm/zsmalloc.c). Since "zsmalloc: do not take class lock in zs_shrinker_count()" (2015) the
 * count runs without class->lock: zs_can_compact reads ZS_OBJS_ALLOCATED and ZS_OBJS_INUSE
 * as two separate loads (class_stat_read / zs_stat_get), each its own step here, so zs_malloc
 * and zs_free can change both between them. The guard `if (obj_allocated <= obj_used) return
 * 0` ("zsmalloc: fix zs_can_compact() integer overflow", Message-Id
 * 20160509140052.3389-1-sergey.senozhatsky@gmail.com) keeps the unsigned subtraction from
 * wrapping; the A2 mutation removes it. The sum is not kept: each class's estimate is checked
 * where it is computed. Locals: `class`, `word` = obj_allocated, `idx` = obj_used.
 */

/** 2^64, as a double: what `unsigned long` subtraction wraps around. */
const ULONG = 2 ** 64;

export const shrinkerSteps: StepDef[] = [
  {
    label: 'zs_shrinker_count:start',
    run(m, s, t) {
      m.set(s, m.f.tC, t, m.pool.classes.length - 1);
      m.goto(s, t, 'zs_can_compact:read_allocated');
    },
  },
  {
    label: 'zs_can_compact:read_allocated',
    run(m, s, t) {
      m.set(s, m.f.tW, t, s[m.f.classAllocated[m.get(s, m.f.tC, t)]]);
      m.goto(s, t, 'zs_can_compact:read_inuse');
    },
  },
  {
    label: 'zs_can_compact:read_inuse',
    run(m, s, t) {
      m.set(s, m.f.tI, t, s[m.f.classInuse[m.get(s, m.f.tC, t)]]);
      m.goto(s, t, 'zs_can_compact:obj_wasted');
    },
  },
  {
    label: 'zs_can_compact:obj_wasted',
    run(m, s, t, _c, ctx) {
      const c = m.get(s, m.f.tC, t);
      const got = canCompactEstimate(m, s, t, c);
      const bound = m.K * m.pool.classes[c].pagesPerZspage;
      if (got > bound) {
        ctx.fail(V.shrinkerCountBounded, `zs_can_compact(class[${c}]) read ZS_OBJS_ALLOCATED ${m.get(s, m.f.tW, t)} then ZS_OBJS_INUSE ${m.get(s, m.f.tI, t)} ` +
          `and returns ${got.toExponential(3)} pages, more than the ${bound} pages ${m.K} zspages of the class can hold`);
        return;
      }
      m.set(s, m.f.tW, t, -1);
      m.set(s, m.f.tI, t, -1);
      if (c > 0) { m.set(s, m.f.tC, t, c - 1); m.goto(s, t, 'zs_can_compact:read_allocated'); return; }
      m.endOp(s, t);
    },
  },
];

/** ((obj_allocated - obj_used) / objs_per_zspage) * pages_per_zspage in unsigned long. */
function canCompactEstimate(m: Machine, s: StateVector, t: number, c: number): number {
  const allocated = m.get(s, m.f.tW, t);
  const used = m.get(s, m.f.tI, t);
  if (!m.has('A2') && allocated <= used) return 0;
  const wasted = allocated >= used ? allocated - used : ULONG + (allocated - used);
  return Math.floor(wasted / m.objs(c)) * m.pool.classes[c].pagesPerZspage;
}
