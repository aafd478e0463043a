/** The zbud system as the CLI sees it: designs, scenarios, mutations, invariants. */
import { isZbudDesign, isZbudMutation, validateZbudSpec, zbudDesigns, zbudMutations, type ZbudMutationId } from '../../model/zbud/index.js';
import { zbudInvariantDocs } from '../../invariants/zbud/index.js';
import { zbudScenarios, type ZbudScenario } from '../../scenarios/zbud/index.js';
import { buildZbudScenario } from '../../scenarios/zbud/run.js';
import { InputError } from '../errors.js';
import type { ScenarioLike, ScenarioSource } from '../source.js';

const all = zbudScenarios as unknown as readonly ScenarioLike[];

export const zbudSource: ScenarioSource = {
  designs: zbudDesigns,
  scenarios: () => all,
  findScenario: (id) => all.find((s) => s.id === id),
  buildSystem: (spec) => {
    const s = spec.scenario as unknown as ZbudScenario;
    if (!isZbudDesign(spec.design)) throw new InputError(`unknown zbud design '${spec.design}'`);
    const mutations = spec.mutations ?? (s.mutation ? [s.mutation] : []);
    const bad = mutations.find((m) => !isZbudMutation(m));
    if (bad !== undefined) throw new InputError(`mutation ${bad} does not apply to zbud designs`);
    const problem = validateZbudSpec({ design: spec.design, pool: s.pool, threads: s.threads, setup: s.setup });
    if (problem) throw new InputError(`scenario ${s.id}: ${problem}`);
    return buildZbudScenario(s, spec.design, mutations as ZbudMutationId[]);
  },
  checkOptions: (s) => ({ maxStates: (s as unknown as ZbudScenario).bounds.maxStates }),
  mutations: zbudMutations,
  invariants: zbudInvariantDocs,
};
