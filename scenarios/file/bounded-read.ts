import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Scenario and regression files are small; anything larger is a mistake (or /dev/zero). */
export const MAX_INPUT_BYTES = 4 << 20;

/**
 * The text of a user's input file, refusing what is not a regular file or is larger than
 * MAX_INPUT_BYTES, so /dev/zero or a FIFO is one error instead of a read that never ends.
 */
export function readBoundedText(file: string, what: string, error: (message: string) => Error): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw error(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : `cannot open (${code ?? String(e)})`}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw error(`${file}: is a directory, not a ${what}`);
    if (!st.isFile()) throw error(`${file}: not a regular file (a ${what} must be one)`);
    if (st.size > MAX_INPUT_BYTES) throw error(`${file}: ${st.size} bytes, larger than a ${what} may be (${MAX_INPUT_BYTES} bytes)`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
