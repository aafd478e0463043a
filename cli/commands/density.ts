/** `memdesc-mc density`: pages used by zsmalloc, zbud, z3fold and xvmalloc for one stream of compressed sizes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadCompressor } from '../../model/density/compressors.js';
import { corpusSizes } from '../../model/density/corpus.js';
import { DensityInputError, isSyntheticSpec, parseSizes, syntheticSizes } from '../../model/density/inputs.js';
import { allocOnly, churn, runDensity } from '../../model/density/stream.js';
import { renderDensityHtml, renderDensitySvg } from '../../report/density-chart.js';
import { densityJson } from '../../report/density-json.js';
import { densityProgress } from '../../report/density-progress.js';
import { renderDensityTable, type DensityInputSummary } from '../../report/density-table.js';
import { nonNegativeInteger, parseCommandArgs, positiveInteger } from '../args.js';
import { EXIT_OK, InputError } from '../errors.js';

export const DENSITY_USAGE = `usage: memdesc-mc density (SIZES-FILE | uniform:A-B | normal:MU,SIGMA | --corpus PATH) [options]
  Replays one stream of compressed object sizes through zsmalloc (chain sizes 8 and 4), zbud, z3fold
  and xvmalloc and prints pages used, objects per page and the bytes wasted, by cause.
  SIZES-FILE: one size a line, CSV with a size column, or JSON (an array, or {"sizes": [...]}).
options:
  --corpus PATH         cut the files under PATH into pages and compress each page
  --compressor NAME     lz4 (default), zstd or deflate, for --corpus
  --page-size N         4096 (default), 16384 or 65536 (also 4k, 16k, 64k)
  --count N             objects drawn from a distribution (default 100000)
  --seed N              seed for distributions and --churn (default 1)
  --churn               after each allocation free a random live object with probability
                        --free-fraction; report zsmalloc again after one zs_compact pass
  --free-fraction F     0 <= F < 1 (default 0.5)
  --json                one JSON document on stdout
  --html FILE           write an HTML page: the table and the charts
  --svg FILE            write the charts as one SVG file`;

const PAGE_SIZES: Record<string, number> = { '4096': 4096, '4k': 4096, '16384': 16384, '16k': 16384, '65536': 65536, '64k': 65536 };

function pageSizeOption(v: string | undefined): number {
  if (v === undefined) return 4096;
  const n = PAGE_SIZES[v.toLowerCase()];
  if (n === undefined) throw new InputError(`--page-size must be 4096, 16384 or 65536 (or 4k, 16k, 64k), got '${v}'`);
  return n;
}

function fractionOption(v: string | undefined): number {
  if (v === undefined) return 0.5;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new InputError(`--free-fraction must be a number in [0, 1), got '${v}'`);
  return n;
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export async function runDensityCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('density', argv, {
    corpus: { type: 'string' },
    compressor: { type: 'string' },
    'page-size': { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    churn: { type: 'boolean', default: false },
    'free-fraction': { type: 'string' },
    json: { type: 'boolean', default: false },
    html: { type: 'string' },
    svg: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${DENSITY_USAGE}\n`);
    return EXIT_OK;
  }
  const pageSize = pageSizeOption(values['page-size']);
  const count = positiveInteger('count', values.count) ?? 100_000;
  const seed = nonNegativeInteger('seed', values.seed) ?? 1;
  const freeFraction = fractionOption(values['free-fraction']);
  if (positionals.length > 1) throw new InputError(`memdesc-mc density: one source expected, got ${positionals.length}: ${positionals.join(' ')}`);
  const source = positionals[0];
  if (source !== undefined && values.corpus !== undefined) throw new InputError(`memdesc-mc density: give either a sizes source or --corpus, not both`);
  if (source === undefined && values.corpus === undefined) {
    throw new InputError(`memdesc-mc density: give a sizes file, a distribution (uniform:A-B, normal:MU,SIGMA) or --corpus PATH (memdesc-mc density --help)`);
  }
  if (values.compressor !== undefined && values.corpus === undefined) throw new InputError(`--compressor applies to --corpus only`);

  try {
    let sizes: number[];
    let summary: Omit<DensityInputSummary, 'objects' | 'bytes' | 'churn'>;
    if (values.corpus !== undefined) {
      const compressor = await loadCompressor(values.compressor ?? 'lz4');
      const bar = densityProgress(process.stderr, `compressing ${values.corpus}`, { enabled: !values.json && process.stderr.isTTY === true });
      const c = corpusSizes(values.corpus, pageSize, compressor, (p) => bar.update(p));
      bar.done();
      if (c.sizes.length === 0) throw new InputError(`${values.corpus}: every page is same-filled, nothing to allocate`);
      sizes = c.sizes;
      summary = { source: `corpus ${values.corpus}`, corpus: { files: c.files, bytes: c.bytes, pages: c.pages, sameFilled: c.sameFilled, incompressible: c.incompressible, compressor: c.compressor } };
    } else if (isSyntheticSpec(source!) || (/^[a-z]+:[^/\\]/i.test(source!) && !existsSync(source!))) {
      sizes = syntheticSizes(source!, count, seed, pageSize);
      summary = { source: `${source} (seed ${seed})` };
    } else {
      let text: string;
      try {
        text = readFileSync(source!, 'utf8');
      } catch (e) {
        throw new InputError(`${source}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      sizes = parseSizes(text, source!, pageSize);
      summary = { source: source! };
    }
    const stream = values.churn ? churn(sizes, freeFraction, seed) : allocOnly(sizes);
    const frees = stream.length - sizes.length;
    const run = runDensity(stream, pageSize, { compact: values.churn });
    const report = {
      input: { ...summary, objects: sizes.length, bytes: sizes.reduce((s, x) => s + x, 0), ...(values.churn ? { churn: { freeFraction, seed, frees } } : {}) },
      run,
    };
    if (values.html !== undefined) writeOut(values.html, renderDensityHtml(report));
    if (values.svg !== undefined) writeOut(values.svg, renderDensitySvg(report));
    if (values.json) process.stdout.write(`${JSON.stringify(densityJson(report), null, 2)}\n`);
    else process.stdout.write(`${renderDensityTable(report)}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DensityInputError) throw new InputError(e.message);
    throw e;
  }
}
