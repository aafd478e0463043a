import type { StepContext } from './system.js';

/** Records the first failure `apply` reports during one step; reset before every step. */
export class RecordingStepContext implements StepContext {
  failed = false;
  invariant = '';
  message = '';

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
