import type { Machine } from '../../model/zsmalloc/machine.js';
import type { Properties } from '../../model/zsmalloc/system.js';
import * as accounting from './accounting.js';
import * as isolation from './isolation.js';
import * as layout from './layout.js';
import * as locks from './locks.js';
import * as lockRules from './lock-rules.js';
import * as guardedBy from './guarded-by.js';
import * as lists from './lists.js';
import * as objects from './objects.js';
import * as progress from './progress.js';
import * as pool from './pool.js';
import * as refcount from './refcount.js';
import * as uaf from './use-after-free.js';
import type { InvariantDoc } from './types.js';

export type { InvariantDoc } from './types.js';
export { docs as progressCatalogue, type ProgressDoc } from './progress.js';

/** Every invariant the checker knows, one group per module. */
export const invariantCatalogue: readonly InvariantDoc[] = [
  ...refcount.docs, ...locks.docs, ...accounting.docs, ...objects.docs, ...uaf.docs, ...isolation.docs, ...layout.docs, ...pool.docs, ...lockRules.docs, ...guardedBy.docs, ...lists.docs,
];

export function findInvariant(name: string): InvariantDoc | undefined {
  return invariantCatalogue.find((d) => d.name === name);
}

/** The state invariants and terminal properties that apply to the machine's design. */
export function propertiesFor(m: Machine): Properties {
  // Stryker disable next-line OptionalChaining,LogicalOperator,BooleanLiteral: describedBy() already refused any property without a catalogue entry, so findInvariant never gives undefined here
  const applies = (name: string) => findInvariant(name)?.designs.includes(m.design) ?? true;
  return {
    invariants: [
      ...refcount.stateInvariants(m), ...locks.stateInvariants(m), ...accounting.stateInvariants(m),
      ...objects.stateInvariants(m), ...uaf.stateInvariants(m), ...isolation.stateInvariants(m),
      ...layout.stateInvariants(m), ...pool.stateInvariants(m), ...lists.stateInvariants(m),
    ].filter((i) => applies(i.name)),
    // Stryker disable next-line MethodExpression: every action property's catalogue entry lists all three designs, so the filter keeps them all
    actionProperties: [...refcount.actionProperties(m), ...lockRules.actionProperties(m), ...guardedBy.actionProperties(m)].filter((i) => applies(i.name)),
    // Stryker disable next-line MethodExpression: every terminal property's catalogue entry lists all three designs, so the filter keeps them all
    terminalProperties: [
      ...refcount.terminalProperties(m), ...locks.terminalProperties(m), ...isolation.terminalProperties(m),
    ].filter((i) => applies(i.name)),
    // Stryker disable next-line MethodExpression: every progress property's catalogue entry lists all three designs, so the filter keeps them all
    progressProperties: progress.progressProperties(m).filter((p) =>
      // Stryker disable next-line ArrowFunction,LogicalOperator,OptionalChaining,ConditionalExpression,EqualityOperator,BooleanLiteral: as above: whichever entry this finds (or none: `?? true`, never reached), the property applies
      progress.docs.find((d) => d.name === p.name)?.designs.includes(m.design) ?? true),
  };
}
