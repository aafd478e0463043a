/**
 * The one way input files (C headers, BTF, trace files) are read: only regular files, and only up
 * to a stated size, so `/dev/zero`, a FIFO or a multi-gigabyte file given by mistake is one line
 * of error instead of a read that never ends or exhausts the heap.
 *
 * The file is opened with O_NONBLOCK (opening a FIFO must not wait for a writer) and checked with
 * fstat on the open descriptor, so what is checked is what is read. sysfs files such as
 * /sys/kernel/btf/vmlinux are regular files with their true size, so they pass.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a file was refused; `reason` is a phrase without the file name. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ReadInputOptions {
  /** Largest accepted size in bytes. */
  readonly maxBytes: number;
}

/** `1 MiB`, `256 MiB`, `512 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

function describeCode(code: string | undefined, e: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return `cannot read (${code ?? (e instanceof Error ? e.message.split('\n')[0] : String(e))})`;
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** The bytes of `path`; InputFileError when it cannot be read, is not a regular file, or is too big. */
export function readInputFile(path: string, opts: ReadInputOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputFileError(path, describeCode((e as NodeJS.ErrnoException).code, e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputFileError(path, `is ${kindOf(st)}, not a regular file`);
    if (st.size > opts.maxBytes)
      throw new InputFileError(path, `is ${formatBytes(st.size)}, above the ${formatBytes(opts.maxBytes)} limit for this input`);
    // One byte more than fstat said, to see EOF; never more than maxBytes + 1, so a file that
    // grows while it is read is still bounded.
    const tooBig = () => new InputFileError(path, `is larger than the ${formatBytes(opts.maxBytes)} limit for this input`);
    let buf = Buffer.allocUnsafe(Math.min(opts.maxBytes + 1, st.size + 1));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > opts.maxBytes) throw tooBig();
        const grown = Buffer.allocUnsafe(Math.min(opts.maxBytes + 1, len * 2));
        buf.copy(grown, 0, 0, len);
        buf = grown;
      }
      let n: number;
      try {
        n = readSync(fd, buf, len, buf.length - len, null);
      } catch (e) {
        throw new InputFileError(path, describeCode((e as NodeJS.ErrnoException).code, e));
      }
      if (n === 0) break;
      len += n;
    }
    if (len > opts.maxBytes) throw tooBig();
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text, bounded like readInputFile. */
export function readInputText(path: string, opts: ReadInputOptions): string {
  return readInputFile(path, opts).toString('utf8');
}
