/** Where something is in a header: the file as the user named it, 1-based line and column. */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * A problem with a C header (syntax, unknown type, impossible layout) or with a member path.
 * `message` is always one line, `FILE:LINE:COL: what is wrong`, so a CLI can print it as is
 * and exit 2.
 */
export class HeaderError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly reason: string;

  constructor(loc: SourceLoc, reason: string) {
    const oneLine = reason.replace(/\s*\n\s*/g, ' ');
    // Line 0: the problem is the file as a whole (unreadable), not a place in it.
    super(loc.line > 0 ? `${loc.file}:${loc.line}:${loc.col}: ${oneLine}` : `${loc.file}: ${oneLine}`);
    this.name = 'HeaderError';
    this.file = loc.file;
    this.line = loc.line;
    this.col = loc.col;
    this.reason = oneLine;
  }
}

/** A member path that does not name a member of the layout (`zsl.cnt` on a struct without `zsl`). */
export class MemberPathError extends Error {
  constructor(readonly structName: string, readonly path: string, reason: string) {
    super(`struct ${structName}: no member '${path}' (${reason})`);
    this.name = 'MemberPathError';
  }
}

/** No C preprocessor is installed and the header needs one. */
export class NoPreprocessorError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: no C preprocessor was found (cpp or gcc) and ${detail}`);
    this.name = 'NoPreprocessorError';
  }
}
