/**
 * `memdesc-mc save FILE --name NAME [--dir DIR]`: turns a trace file into a regression file,
 * DIR/NAME.json (default ./regressions/), expecting the violation the trace shows;
 * `memdesc-mc check --regressions DIR` runs every such file, so a counterexample once found stays
 * found (or, after a fix, its expectation is edited to `holds` and it stays fixed). Nothing is
 * written into the installed package and nothing needs rebuilding.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, InputError } from '../errors.js';
import { loadTraceFile, traceScenario } from '../load-trace.js';
import type { ScenarioSource } from '../source.js';
import { writeOutputFile } from '../trace-output.js';

export const SAVE_USAGE = `usage: memdesc-mc save FILE --name NAME [--dir DIR] [--force]
  Writes DIR/NAME.json: the trace file's scenario (as recorded, minimized or not) expecting the
  violation the trace shows, plus the trace itself. memdesc-mc check --regressions DIR runs it.
  --dir DIR   the folder of regressions (default: ./regressions of the current directory)
  --force     replace an existing file`;

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function runSaveCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values, positionals } = parseCommandArgs('save', argv, {
    name: { type: 'string' },
    dir: { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${SAVE_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new InputError(`memdesc-mc save: expected one trace file, got ${positionals.length}`);
  if (values.name === undefined) throw new InputError('memdesc-mc save: --name NAME is required');
  if (!NAME.test(values.name)) throw new InputError(`--name '${values.name}': use lower-case letters, digits and '-' (it becomes the scenario id and file name)`);
  const file = positionals[0];
  const trace = loadTraceFile(file);
  const scenario = traceScenario(source, trace, file);
  if (trace.mutations.length > 1) throw new InputError(`${file}: a scenario carries one mutation, the trace has ${trace.mutations.join('+')}`);
  if (source.findScenario(values.name)) throw new InputError(`--name '${values.name}' is already a scenario id`);

  if (!source.regressionText) throw new InputError('memdesc-mc save: this model cannot save regressions');
  const dir = values.dir ?? 'regressions';
  const out = join(dir, `${values.name}.json`);
  if (existsSync(out) && !values.force) throw new InputError(`${out} exists (use --force to replace it)`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot create the regressions folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  writeOutputFile(out, source.regressionText(scenario, trace, values.name, basename(file)), 'regression file');
  const where = relative(process.cwd(), out) || out;
  process.stdout.write(`wrote ${where}: ${values.name} under ${trace.design}${trace.mutations.length ? ` with ${trace.mutations[0]}` : ''} expects ${trace.violation.invariant} (${trace.steps.length}-step trace)\n`);
  return EXIT_OK;
}
