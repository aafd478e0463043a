/**
 * ANSI colour, only for a terminal: piped output and files stay plain text, and the NO_COLOR
 * convention (no-color.org: any non-empty value) and --no-color turn it off.
 */
export interface Palette {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  /** A stable colour per thread, so one thread's steps read as one lane. */
  thread(index: number, s: string): string;
}

const wrap = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const THREAD_CODES = ['36', '35', '34', '33', '32', '96', '95', '94'];

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const id = (s: string) => s;
    return { enabled, bold: id, dim: id, red: id, green: id, yellow: id, thread: (_i, s) => s };
  }
  return {
    enabled,
    bold: wrap('1'),
    dim: wrap('2'),
    red: wrap('31'),
    green: wrap('32'),
    yellow: wrap('33'),
    thread: (i, s) => wrap(THREAD_CODES[i % THREAD_CODES.length])(s),
  };
}

/** Colour on when the stream is a terminal, unless NO_COLOR is set or --no-color was given. */
export function colorWanted(stream: { isTTY?: boolean }, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Visible width of a string that may hold ANSI escapes. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleLength(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleLength(s))) + s;
}
