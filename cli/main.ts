#!/usr/bin/env node
/**
 * memdesc-mc: dispatches to one command file per subcommand. Bad input anywhere (an InputError)
 * becomes one line on stderr and exit 2; only a fault of the tool itself shows a stack.
 */
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { ModelError } from '../explorer/index.js';
import { EXIT_BAD_INPUT, EXIT_MODEL_ERROR, EXIT_OK, InputError, oneLine } from './errors.js';
import type { ScenarioSource } from './source.js';
import { didYouMean } from './suggest.js';
import { toolVersion } from './version.js';

export const USAGE = `usage: memdesc-mc <command> [options]

Explicit-state model checker for Linux memory-descriptor designs (zsmalloc: legacy, zpdesc, memdesc;
zbud: zbud-inline, zbud-page, zbud-indirect; buddy allocator: buddy-struct-page, buddy-in-page,
buddy-descriptor).

commands:
  check [scenario…]    explore every interleaving of scenarios (default: all) under their designs
  explain SCENARIO     check SCENARIO and print the trace of every violation, expected or not
  replay FILE          re-execute a trace file, confirm the same violation (exit 1) or divergence (3)
  minimize             shrink a violating scenario while it breaks the same invariant
  save FILE --name N   turn a trace file into a regression file (./regressions/N.json; --dir DIR)
  compare [scenario…]  designs × scenarios: holds / violated / incomplete
  merge SHARD.json…    one verdict from the shards of a run (check --shard I/N --json)
  invariants           the invariant catalogue
  mutations            the re-created kernel bugs: id, fixing commit, designs, invariant, what it was
  layout               struct layouts (pahole-style) and each design's layout rules
  density SOURCE       pages used by zsmalloc, zbud, z3fold, xvmalloc for one stream of compressed sizes

options:
  --help, -h           this help (memdesc-mc help <command> or <command> --help: the command's)
  --version            the version
  --json               (most commands) one JSON document on stdout

exit codes: 0 every expectation met, 1 an unexpected violation (or a failed expectation), 2 bad input,
            3 replay diverged, 4 incomplete (a bound stopped a run before an answer),
            70 model error (the model broke the engine's contract), 130 interrupted (Ctrl-C)`;

type Command = (argv: string[], source: ScenarioSource) => Promise<number>;

/** Commands load lazily: `layout` and --help must not pay for (or depend on) the model. */
const COMMANDS: Record<string, () => Promise<Command | ((argv: string[]) => Promise<number>)>> = {
  check: async () => (await import('./commands/check.js')).runCheckCommand,
  replay: async () => (await import('./commands/replay.js')).runReplayCommand,
  invariants: async () => (await import('./commands/invariants.js')).runInvariantsCommand,
  compare: async () => (await import('./commands/compare.js')).runCompareCommand,
  minimize: async () => (await import('./commands/minimize.js')).runMinimizeCommand,
  save: async () => (await import('./commands/save.js')).runSaveCommand,
  density: async () => (await import('./commands/density.js')).runDensityCommand,
  mutations: async () => (await import('./commands/mutations.js')).runMutationsCommand,
  // `explain S` is `check S --show-trace`: the way to read an expected violation.
  explain: async () => {
    const { runCheckCommand } = await import('./commands/check.js');
    return (argv: string[], source: ScenarioSource) =>
      runCheckCommand(argv.includes('--help') || argv.includes('-h') ? argv : ['--show-trace', ...argv], source);
  },
  merge: async () => (await import('./commands/merge.js')).runMergeCommand,
};

async function layoutCommand(argv: string[]): Promise<number> {
  return (await import('./commands/layout.js')).runLayoutCommand(argv);
}

/** Runs the CLI and returns its exit code. `source` replaces the scenario registry (tests). */
export async function main(argv: string[], source?: ScenarioSource): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      // No command is a usage error: the usage goes where errors go.
      process.stderr.write(`${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    if (command === 'help' && rest.length > 0) {
      // `help CMD` is `CMD --help`.
      return await main([rest[0], '--help'], source);
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    if (command === '--version' || command === '-V') {
      process.stdout.write(`memdesc-mc ${toolVersion()}\n`);
      return EXIT_OK;
    }
    if (command === '--json') {
      process.stdout.write(`${JSON.stringify({ name: 'memdesc-mc', version: toolVersion(), commands: ['layout', ...Object.keys(COMMANDS)] }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (command === 'layout') return await layoutCommand(rest);
    const load = COMMANDS[command];
    if (!load) {
      const names = ['layout', ...Object.keys(COMMANDS), 'help'];
      if (command.startsWith('-')) {
        throw new InputError(`unknown option '${command}' (${didYouMean(command, ['--help', '--version', '--json']) || 'memdesc-mc --help'})`);
      }
      throw new InputError(`unknown command '${command}' (${didYouMean(command, names) || `commands: ${names.join(', ')}`})`);
    }
    const run = (await load()) as Command;
    return await run(rest, source ?? (await (await import('./registry.js')).loadRegistry()));
  } catch (e) {
    if (e instanceof InputError) {
      // One prefix: a message that already names the command (`memdesc-mc check: …`) keeps it.
      const line = oneLine(e.message);
      process.stderr.write(line.startsWith('memdesc-mc ') ? `${line}\n` : `memdesc-mc: ${line}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof ModelError) {
      // A model that breaks the engine contract (a field out of range, nondeterminism): a
      // fault of the model, reported in one line with its own exit code.
      process.stderr.write(`memdesc-mc: model error: ${oneLine(e.message)}\n`);
      return EXIT_MODEL_ERROR;
    }
    throw e;
  }
}

function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // A reader that stops early (`memdesc-mc check | head`): stop quietly, as a C tool killed by
  // SIGPIPE would (status 128 + 13), instead of an unhandled stream error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`memdesc-mc: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
