import { match } from 'ts-pattern';
import { palette, padEnd, type Palette } from './color.js';
import type { WalkedTrace } from './walk.js';

export interface TextOptions {
  readonly color?: boolean;
}

/**
 * A counterexample as text: numbered steps, grouped into runs of one thread (a header line
 * whenever another thread takes over), each with `function:label`, the locks every thread holds
 * after it, only the fields it changed (decoded: lock owners by thread, enums by name), where
 * it branched, the mutation that changed its code; first the initial state of what it touches; then the broken invariant, its message and what the
 * catalogue says it means.
 */
export function renderTraceText(w: WalkedTrace, options: TextOptions = {}): string {
  const p = palette(options.color ?? false);
  const out: string[] = [p.bold(w.title)];
  if (w.initial.length > 0) {
    out.push(p.dim(`Initial state of the objects the trace touches${w.raw ? ' (raw values)' : ''}; other fields are 0 or none:`));
    for (const o of w.initial) {
      const whole = o.fields.length === 1 && o.fields[0].member === o.object;
      out.push(whole ? `  ${o.object} = ${o.fields[0].value}` : `  ${o.object}: ${o.fields.map((f) => `${f.member} = ${f.value}`).join('; ')}`);
    }
  }
  const labelWidth = Math.max(8, ...w.steps.map((s) => stepHead(s).length));
  const numWidth = String(w.steps.length).length;
  let lastThread = -1;
  for (const s of w.steps) {
    if (w.loop !== undefined && s.number === w.loop + 1) {
      out.push(p.yellow(`↻ loop: steps ${s.number}–${w.steps.length} repeat for ever`));
      lastThread = -1;
    }
    if (s.thread !== lastThread) {
      out.push(p.thread(s.thread, `── ${s.threadName} ──`));
      lastThread = s.thread;
    }
    const breaks = w.broken !== undefined && w.broken.step === s.number;
    const num = String(s.number).padStart(numWidth);
    const tag = s.mutations.length > 0 ? `  ${p.red(`[mutated by ${s.mutations.join(', ')}]`)}` : '';
    const head = `  ${breaks ? p.red(num) : num}  ${padEnd(p.thread(s.thread, stepHead(s)), labelWidth)}  ${locksText(w.threads, s.locks, p)}${tag}`;
    out.push(head.trimEnd());
    const indent = ' '.repeat(numWidth + 6);
    if (s.shown.length > 0) {
      out.push(indent + s.shown.map((c) => `${c.field}: ${c.from} → ${p.yellow(c.to)}`).join('; '));
    }
  }
  if (w.loop !== undefined && w.loop === w.steps.length) out.push(p.yellow('↻ the run stops here for ever: nothing is enabled'));
  else if (w.loop !== undefined) out.push(p.yellow(`↻ back to the state after step ${w.loop}`));
  if (w.steps.length === 0 && w.loop === undefined) out.push('  (no steps: the initial state is already wrong)');
  if (w.broken) {
    const b = w.broken;
    const where = b.step === 0 ? 'in the initial state' : `at step ${b.step}`;
    out.push(p.red(p.bold(`✗ ${brokenPhrase(b)} ${where}: ${b.message}`)));
    if (b.description) out.push(`  ${b.description}`);
  }
  return out.join('\n');
}

/** `function:label`, the choice when the step had several, and where it jumped when it did. */
function stepHead(s: WalkedTrace['steps'][number]): string {
  return `${s.label}${s.choice ? `#${s.choice}` : ''}${s.branch !== undefined ? ` (→ ${s.branch})` : ''}`;
}

function locksText(threads: readonly string[], locks: readonly (readonly string[])[], p: Palette): string {
  const held = locks.flatMap((l, t) => (l.length > 0 ? [`${p.thread(t, threads[t])}: ${l.join(', ')}`] : []));
  return p.dim('locks ') + (held.length > 0 ? held.join('; ') : p.dim('none'));
}

/** What broke, as the kind of check that caught it reads. */
function brokenPhrase(b: NonNullable<WalkedTrace['broken']>): string {
  return match(b.kind)
    .with('deadlock', () => 'deadlock')
    .with('non-progress', () => 'non-progress loop')
    .with('liveness', () => `${b.invariant} never satisfied`)
    .with('invariant', 'action', 'step', 'terminal', () => `${b.invariant} broken`)
    .exhaustive();
}
