/**
 * Names of the invariants the model itself reports from `apply` (StepContext.fail), when a
 * violation is only visible while a step executes. The catalogue in invariants/ documents them.
 */
export const V = {
  zspageUseAfterFree: 'no-zspage-use-after-free',
  pageUseAfterFree: 'no-page-use-after-free',
  lockOwnerUnlock: 'lock-owner-unlock',
  handlePinExclusive: 'handle-pin-exclusive',
  freeZspageLocked: 'free-zspage-holds-chain-locks',
  pageFreeClean: 'page-freed-clean',
  contentConservation: 'content-conservation',
  callbackPageLocked: 'callback-page-locked',
  isolationIdentity: 'isolation-identity',
  refcountNonNegative: 'refcount-non-negative',
  movableUnderLock: 'movable-set-under-lock',
  shrinkerCountBounded: 'shrinker-count-bounded',
} as const;

export type StepViolation = (typeof V)[keyof typeof V];
