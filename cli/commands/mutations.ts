/** `memdesc-mc mutations`: every re-created kernel bug, what fixed it and what it breaks. */
import { outputWidth, renderTable } from '../../report/table.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { requireDesign } from '../runs.js';
import { mutationDesigns, scenarioMutations, type ScenarioSource } from '../source.js';

export const MUTATIONS_USAGE = `usage: memdesc-mc mutations [--design D] [--json]
  Lists the mutations (re-created kernel bugs): id, the kernel commit that fixed it, the designs
  it applies to, the invariant it breaks, and what the bug was (--json: also its scenarios and
  the steps whose code it changes).
  Run one: memdesc-mc check --mutation ID (add --all-scenarios to try it on every scenario).`;

export async function runMutationsCommand(argv: string[], source: ScenarioSource): Promise<number> {
  const { values } = parseCommandArgs('mutations', argv, {
    json: { type: 'boolean', default: false },
    design: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, false);
  if (values.help) {
    process.stdout.write(`${MUTATIONS_USAGE}\n`);
    return EXIT_OK;
  }
  const design = requireDesign(source, values.design);
  const list = source.mutations.filter((m) => design === undefined || (mutationDesigns(m) ?? source.designs).includes(design));
  const scenariosOf = (id: string) => source.scenarios().filter((s) => scenarioMutations(s).includes(id)).map((s) => s.id);
  const fixedBy = (m: (typeof list)[number]) => m.commit ?? 'none (model rule)';
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list.map((m) => ({
      id: m.id, commit: m.commit ?? null, fix: m.bug ?? null, designs: mutationDesigns(m) ?? source.designs,
      invariant: m.invariant, scenarios: scenariosOf(m.id), title: m.title, summary: m.summary ?? m.title, steps: m.steps ?? [],
    })), null, 2)}\n`);
    return EXIT_OK;
  }
  const rows = list.map((m) => [m.id, fixedBy(m), (mutationDesigns(m) ?? source.designs).join(','), m.invariant, m.summary ?? m.title]);
  const columns = [{ header: 'id' }, { header: 'fixed by' }, { header: 'designs', optional: true }, { header: 'invariant' }, { header: 'what the bug was' }];
  process.stdout.write(`${renderTable(columns, rows, { maxWidth: outputWidth(), wrap: 4 })}\n${list.length} mutations; the fixing commits are in the Linux kernel's git history (git show ID)\n`);
  return EXIT_OK;
}
