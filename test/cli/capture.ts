import { vi } from 'vitest';

/** Runs a command function with stdout/stderr captured. */
export async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    const code = await fn();
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}
