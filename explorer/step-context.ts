import type { StepContext } from './system.js';

/** Records the first failure `apply` reports during one step; reset before every step. */
export class RecordingStepContext implements StepContext {
  // Stryker disable next-line BooleanLiteral: reset() runs before every step
  failed = false;
  // Stryker disable next-line StringLiteral: written by fail() before it is read
  invariant = '';
  // Stryker disable next-line StringLiteral: written by fail() before it is read
  message = '';

  // Stryker disable next-line BlockStatement: every engine path stops stepping at the first failure, so `failed` is never seen true again
  reset(): void {
    this.failed = false;
  }

  fail(invariant: string, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.invariant = invariant;
    this.message = message;
  }
}
