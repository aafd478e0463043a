import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.js';
import { didYouMean } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors (unknown option, missing value) turned into
 * InputError so they reach the user as one line naming the command.
 */
/** What parseArgs returns for these options (named, so declarations can be emitted). */
export type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>>;

export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O, allowPositionals = true): ParsedArgs<O> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // parseArgs messages end with advice about '--' that does not apply here.
    let line = msg.split('. To specify')[0].replace(/\.$/, '');
    const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(line);
    if (unknown) {
      const names = Object.entries(options).flatMap(([n, o]) => [`--${n}`, ...(o.short ? [`-${o.short}`] : [])]);
      const hint = didYouMean(unknown[1], names);
      line = `unknown option '${unknown[1]}' (${hint || `memdesc-mc ${command} --help lists the options`})`;
    }
    throw new InputError(`memdesc-mc ${command}: ${line}`);
  }
}

/**
 * `--max-states -1`: parseArgs takes a value starting with '-' for an option and calls it
 * ambiguous; a negative number there is a value (to be refused by the option's own check with
 * a message about the value), so it is passed as `--max-states=-1`.
 */
export function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const long = /^--([^=]+)$/.exec(a)?.[1];
    const short = /^-([^-])$/.exec(a)?.[1];
    const name = long ?? (short !== undefined ? Object.keys(options).find((k) => options[k]!.short === short) : undefined);
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${long !== undefined ? a : `--${name}`}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** A positive integer option value, or InputError naming the option. */
export function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new InputError(`--${option} must be a positive integer, got '${value}'`);
  }
  return Number(value);
}

/** A positive number of seconds (fractions allowed), or InputError naming the option. */
export function positiveSeconds(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InputError(`--${option} must be a positive number of seconds, got '${value}'`);
  }
  return n;
}

/** A non-negative integer option value. */
export function nonNegativeInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InputError(`--${option} must be a non-negative integer, got '${value}'`);
  }
  return Number(value);
}
