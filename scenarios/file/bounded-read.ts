import { InputFileError, readInputText } from '../../model/io/read-input.js';

/** Scenario and regression files are small; anything larger is a mistake (or /dev/zero). */
export const MAX_INPUT_BYTES = 4 << 20;

/**
 * The text of a user's scenario or regression file through the shared bounded reader (regular
 * files only, at most MAX_INPUT_BYTES), its error turned into the caller's one-line error.
 */
export function readBoundedText(file: string, error: (message: string) => Error): string {
  try {
    return readInputText(file, { maxBytes: MAX_INPUT_BYTES });
  } catch (e) {
    if (e instanceof InputFileError) throw error(e.message);
    throw e;
  }
}
