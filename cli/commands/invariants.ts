/** `memdesc-mc invariants`: the invariant catalogue, one line per invariant. */
import { renderTable } from '../../report/table.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { requireDesign } from '../runs.js';
import type { ScenarioSource } from '../source.js';

export const INVARIANTS_USAGE = `usage: memdesc-mc invariants [--design D] [--json]
  Lists the invariant catalogue: name, designs, one-line description (--json: with the kernel rule).`;

export async function runInvariantsCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values } = parseCommandArgs('invariants', argv, {
    json: { type: 'boolean', default: false },
    design: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, false);
  if (values.help) {
    process.stdout.write(`${INVARIANTS_USAGE}\n`);
    return EXIT_OK;
  }
  const design = requireDesign(source, values.design);
  const list = source.invariants.filter((i) => design === undefined || !i.designs || i.designs.includes(design));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return EXIT_OK;
  }
  const firstSentence = (s: string) => s.replace(/\s+/g, ' ').trim().split(/(?<=\.)\s/)[0];
  const everywhere = (ds: readonly string[] | undefined) => !ds || source.designs.every((d) => ds.includes(d));
  const rows = list.map((i) => [i.name, everywhere(i.designs) ? 'all' : i.designs!.join(','), firstSentence(i.description)]);
  process.stdout.write(`${renderTable([{ header: 'invariant' }, { header: 'designs' }, { header: 'description' }], rows)}\n${list.length} invariants\n`);
  return EXIT_OK;
}
