/**
 * The one error a BTF reader throws. A malformed or truncated file, an unknown type, or a
 * struct the file does not define all end here, so callers (the CLI: exit 2) need one catch.
 * The message is one line naming the file and, when the problem is in the bytes, the byte
 * offset in the file where it was found.
 */
export type BtfErrorCode =
  | 'unreadable'
  | 'bad-magic'
  | 'bad-version'
  | 'bad-header'
  | 'truncated'
  | 'bad-type'
  | 'bad-string'
  | 'cycle'
  | 'missing-type'
  | 'needs-base'
  | 'ambiguous'
  | 'too-deep';

export class BtfError extends Error {
  override readonly name = 'BtfError';

  constructor(
    readonly code: BtfErrorCode,
    /** The file as the caller named it. */
    readonly file: string,
    /** What is wrong, without the file name or the offset. */
    readonly reason: string,
    /** Byte offset in the file, when the problem is located in the bytes. */
    readonly byteOffset?: number,
  ) {
    super(`${file}: ${reason}${byteOffset === undefined ? '' : ` at byte ${byteOffset}`}`);
  }
}

export function isBtfError(e: unknown): e is BtfError {
  return e instanceof BtfError;
}
