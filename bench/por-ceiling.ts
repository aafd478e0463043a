import { pathToFileURL } from 'node:url';
import type { StateVector } from '../explorer/index.js';
import { buildSystem, findScenario, type Design, type Scenario } from '../scenarios/zsmalloc/index.js';
import { buildMachine } from '../model/zsmalloc/system.js';
import { privateFields, zsmallocFootprints } from '../model/zsmalloc/footprints.js';

/**
 * How far thread-by-thread partial-order reduction could ever go on one zsmalloc run:
 * `node dist/bench/por-ceiling.js <scenario> <design>`. Not part of `npm run bench` (it holds
 * the whole graph in memory).
 *
 * It builds the full reachable graph, records every step's footprint, and gives each state and
 * thread the tightest future footprint there is: the union of that thread's step footprints
 * over every state reachable from it. With those futures it runs the engine's ample-set rule
 * (explorer/ample-set.ts C1, and the BFS cycle proviso C3) twice: without visibility, and with
 * visibility as if the properties read no thread's pc or locals (the most a declaration of
 * which labels each invariant looks at could give). The declared futures of
 * model/zsmalloc/footprints.ts can only do worse than either figure.
 */
export interface Ceiling {
  readonly states: number;
  /** Reduced states with the tightest futures, ignoring visibility. */
  readonly ignoringVisibility: number;
  /** ... with visibility, as if no property read a thread's pc or locals. */
  readonly pcInvisible: number;
}

export function porCeiling(sc: Scenario, design: Design): Ceiling {
  const m = buildMachine({
    design, pool: sc.shape, threads: sc.threads, setup: sc.setup,
    mutations: sc.mutation ? [sc.mutation] : [], protocol: sc.options ?? {}, config: sc.config,
  });
  const sys = buildSystem({ scenario: sc, design });
  const fp = zsmallocFootprints(m);
  const T = m.T;
  const W = Math.ceil(m.f.fields.length / 32);

  const index = new Map<string, number>();
  const states: StateVector[] = [];
  const succ: Array<Array<[number, number]>> = [];
  const add = (s: StateVector): number => {
    const k = s.join(',');
    let i = index.get(k);
    if (i === undefined) { i = states.length; index.set(k, i); states.push(s); }
    return i;
  };
  add(m.initialState());
  for (let i = 0; i < states.length; i++) {
    const out: Array<[number, number]> = [];
    const s = states[i];
    m.actions(s, {
      push: (thread, label, choice) => {
        const next = s.slice();
        let failed = false;
        m.apply(s, { thread, label, choice }, next, { fail: () => { failed = true; } });
        if (!failed) out.push([thread, add(next)]);
      },
    });
    succ.push(out);
  }
  const n = states.length;
  const bits = () => Array.from({ length: T }, () => new Uint32Array(n * W));
  const stepR = bits(), stepW = bits(), futR = bits(), futW = bits();
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      if (states[i][m.f.tPc[t]] === m.DONE) continue;
      const st = fp.stepFootprint(states[i], t);
      for (const x of st.reads) stepR[t][i * W + (x >> 5)] |= 1 << (x & 31);
      for (const x of st.writes) stepW[t][i * W + (x >> 5)] |= 1 << (x & 31);
    }
  }
  for (let t = 0; t < T; t++) { futR[t].set(stepR[t]); futW[t].set(stepW[t]); }
  for (let changed = true; changed;) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      for (const [, j] of succ[i]) {
        for (let t = 0; t < T; t++) {
          for (let w = 0; w < W; w++) {
            const r = (futR[t][i * W + w] | futR[t][j * W + w]) >>> 0;
            const x = (futW[t][i * W + w] | futW[t][j * W + w]) >>> 0;
            if (r !== futR[t][i * W + w] || x !== futW[t][i * W + w]) { futR[t][i * W + w] = r; futW[t][i * W + w] = x; changed = true; }
          }
        }
      }
    }
  }
  const visible = new Uint32Array(W);
  const priv = new Set(Array.from({ length: T }, (_, t) => privateFields(m, t)).flat());
  for (const p of [...sys.invariants, ...(sys.actionProperties ?? [])]) {
    for (const x of p.reads ?? sys.fields.map((_, k) => k)) if (!priv.has(x)) visible[x >> 5] |= 1 << (x & 31);
  }
  const independent = (i: number, t: number, c2: boolean): boolean => {
    for (let w = 0; w < W; w++) if (c2 && (stepW[t][i * W + w] & visible[w]) !== 0) return false;
    for (let u = 0; u < T; u++) {
      if (u === t) continue;
      for (let w = 0; w < W; w++) {
        if ((futW[u][i * W + w] & (stepR[t][i * W + w] | stepW[t][i * W + w])) !== 0) return false;
        if ((futR[u][i * W + w] & stepW[t][i * W + w]) !== 0) return false;
      }
    }
    return true;
  };
  const reducedStates = (c2: boolean): number => {
    const seen = new Uint8Array(n);
    const queue = [0];
    seen[0] = 1;
    for (let h = 0; h < queue.length; h++) {
      const i = queue[h];
      const threads = [...new Set(succ[i].map(([t]) => t))];
      let list = succ[i];
      if (threads.length > 1) {
        const t = threads.find((u) => independent(i, u, c2));
        if (t !== undefined) {
          const ample = succ[i].filter(([u]) => u === t);
          if (ample.every(([, j]) => seen[j] === 0)) list = ample;
        }
      }
      for (const [, j] of list) if (seen[j] === 0) { seen[j] = 1; queue.push(j); }
    }
    return queue.length;
  };
  return { states: n, ignoringVisibility: reducedStates(false), pcInvisible: reducedStates(true) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [id, design] = process.argv.slice(2);
  const sc = id === undefined ? undefined : findScenario(id);
  if (sc === undefined || !sc.designs.includes(design as Design)) {
    console.error(sc === undefined
      ? `por-ceiling: ${id === undefined ? 'usage: node dist/bench/por-ceiling.js <scenario> <design>' : `no default-suite scenario ${id}`}`
      : `por-ceiling: scenario ${id} runs under ${sc.designs.join(', ')}, not ${design ?? '(no design given)'}`);
    process.exit(2);
  }
  const c = porCeiling(sc, design as Design);
  const x = (k: number) => (c.states / k).toFixed(2);
  console.log(`${sc.id} under ${design}: ${c.states} states; with the tightest futures ${c.ignoringVisibility} (${x(c.ignoringVisibility)}x) ignoring visibility, ${c.pcInvisible} (${x(c.pcInvisible)}x) with pc and locals invisible`);
}
