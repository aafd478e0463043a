import type { Scenario } from './types.js';
import { scenario as mallocVsFree } from './suite/malloc-vs-free.js';
import { scenario as freeVsMigrate } from './suite/free-vs-migrate.js';
import { scenario as freeLastWhileIsolated } from './suite/free-last-while-isolated.js';
import { scenario as compactVsFree } from './suite/compact-vs-free.js';
import { scenario as compactVsRead } from './suite/compact-vs-read.js';
import { scenario as migrateVsReadSpanning } from './suite/migrate-vs-read-spanning.js';
import { scenario as asyncFreeVsMigrate } from './suite/async-free-vs-migrate.js';
import { scenario as twoMigrations } from './suite/two-migrations-one-zspage.js';
import { scenario as hugeClass } from './suite/huge-class.js';
import { scenario as trylockUndo } from './suite/trylock-zspage-undo.js';
import { scenario as twoClasses } from './suite/two-size-classes.js';
import { scenario as mallocEnomem } from './suite/malloc-enomem.js';
import { scenario as compactVsMigrate } from './suite/compact-vs-migrate.js';
import { scenario as writeVsFreeOther } from './suite/write-vs-free-other.js';
import { scenario as memdescUnchanged } from './suite/memdesc-unchanged-core.js';
import { scenario as bugA1 } from './suite/bug-a1-pin-lost.js';
import { scenario as bugA3 } from './suite/bug-a3-empty-left.js';
import { scenario as bugA5 } from './suite/bug-a5-lock-zspage.js';
import { scenario as bugA6 } from './suite/bug-a6-bitfield-word.js';
import { scenario as bugB1 } from './suite/bug-b1-handle-reuse.js';
import { scenario as bugM1 } from './suite/bug-m1-no-recheck.js';
import { scenario as bugM2 } from './suite/bug-m2-descriptor-freed.js';
import { scenario as bugM3 } from './suite/bug-m3-recomputed-folio.js';
import { scenario as bugM4 } from './suite/bug-m4-folio-list.js';
import { scenario as layout618 } from './suite/layout-618-zspage.js';
import { scenario as reisolate } from './suite/reisolate-after-putback.js';
import { scenario as compactMigrateFreeRead } from './suite/compact-migrate-free-read.js';
import { scenario as mallocReusesDeferred } from './suite/malloc-reuses-deferred.js';
import { scenario as compactMovesReadWrite } from './suite/compact-moves-read-write.js';
import { scenario as compactMovesFree } from './suite/compact-moves-free.js';
import { scenario as bugR1 } from './suite/bug-r1-read-without-pool-lock.js';
import { scenario as shrinkerCount } from './suite/shrinker-count-vs-malloc-free.js';
import { scenario as bugA2 } from './suite/bug-a2-shrinker-count-wraps.js';
import { scenario as teardown } from './suite/teardown-vs-migrate.js';
import { bugA4, bugD1, bugD2 } from './suite/bug-teardown.js';
import { scenario as crossZone } from './suite/cross-zone-migration.js';
import { scenario as bugZ1, bugZ2 } from './suite/bug-z1-zone-stat.js';
import { scenario as setMovableVsCore } from './suite/set-movable-vs-core.js';
import { scenario as noCompaction } from './suite/no-compaction-build.js';
import { scenario as bugA7 } from './suite/bug-a7-noop-zspage-lock.js';
import { scenario as bugN1 } from './suite/bug-n1-compactor-spins.js';
import { scenario as threeMigrations } from './suite/three-migrations-one-zspage.js';
import { scenario as twoReadersCompactMigrate } from './suite/two-readers-compact-migrate.js';
import { scenario as fourObjectsTwoClasses } from './suite/four-objects-two-classes.js';
import { scenario as sixReaders } from './suite/six-readers-migrate-spanning.js';
import { scenario as twoUsersMigrate } from './suite/two-users-migrate-any-frame.js';
import { scenario as hugeUsersMigrate } from './suite/huge-users-migrate-any-frame.js';
import { scenario as mallocEnomemVsMigrate } from './suite/malloc-enomem-vs-migrate.js';
import { protectionScenarios } from './suite/protections.js';
import { bugL1, bugL2, compactLists, coreLists, deferredLists } from './suite/list-heads.js';

export type { Scenario, Expectation, Bounds } from './types.js';
export { buildSystem, runScenario, expectationMet } from './run.js';
export type { SystemSpec, RunOverrides, ScenarioRun } from './run.js';
export type { Design } from '../../model/zsmalloc/designs.js';
export type { ProtocolOptions } from '../../model/zsmalloc/memdesc/options.js';
export { fixedProtocol, unchangedCore } from '../../model/zsmalloc/memdesc/options.js';

const suite: readonly Scenario[] = [
  mallocVsFree, freeVsMigrate, freeLastWhileIsolated, compactVsFree, compactVsRead,
  migrateVsReadSpanning, asyncFreeVsMigrate, twoMigrations, hugeClass, trylockUndo, twoClasses,
  mallocEnomem, compactVsMigrate, writeVsFreeOther, reisolate, compactMigrateFreeRead, mallocReusesDeferred, memdescUnchanged,
  compactMovesReadWrite, compactMovesFree, shrinkerCount, teardown, crossZone, noCompaction, compactLists, deferredLists, coreLists, setMovableVsCore,
  threeMigrations, twoReadersCompactMigrate, fourObjectsTwoClasses, sixReaders, twoUsersMigrate, hugeUsersMigrate, mallocEnomemVsMigrate,
  bugA1, bugA3, bugA5, bugA6, bugB1, bugM1, bugM2, bugM3, bugM4, bugR1, bugA2, bugA4, bugD1, bugD2, bugZ1, bugZ2, bugA7, ...protectionScenarios, bugL1, bugL2, bugN1, layout618,
];

/** The default suite, mutation scenarios included. */
export function allScenarios(): readonly Scenario[] {
  return suite;
}

export function findScenario(id: string): Scenario | undefined {
  return suite.find((s) => s.id === id);
}
