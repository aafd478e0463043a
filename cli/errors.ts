/**
 * Bad input to the CLI (unknown command, option, scenario, design, mutation; a malformed file).
 * The top-level handler prints its message as one line on stderr and exits 2: users of a command
 * line tool need to know what to fix, not where in our code it was noticed.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Exit codes shared by every command (see the README). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_DIVERGED = 3;
/** A bound (states, depth, time) stopped a run before it had an answer. */
export const EXIT_INCOMPLETE = 4;

/** The first line of a message: errors must stay one line on stderr. */
export function oneLine(message: string): string {
  return message.split('\n')[0].trim();
}
/** sysexits' EX_SOFTWARE: the model broke the engine's contract. */
export const EXIT_MODEL_ERROR = 70;
