// Prints, per target and per file, the mutation score of covered mutants from the JSON reports
// Stryker wrote, lists the surviving mutants, and fails when a target scores below 90%.
// Usage: node stryker/summary.mjs [explorer] [invariants]
import { readFileSync, existsSync } from 'node:fs';

const THRESHOLD = 90;
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['explorer', 'invariants'];
let failed = false;

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const pad = (s, n) => String(s).padEnd(n);
const num = (s, n) => String(s).padStart(n);

for (const target of targets) {
  const file = `reports/mutation/${target}.json`;
  if (!existsSync(file)) {
    console.log(`${target}: no report at ${file} (run npm run mutation:${target})`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const rows = [];
  const survivors = [];
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const [path, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
    for (const m of mutants) {
      switch (m.status) {
        case 'Killed': c.killed++; break;
        case 'Timeout': c.timeout++; break;
        case 'Survived': c.survived++; survivors.push(`${path}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')}`); break;
        case 'NoCoverage': c.noCoverage++; survivors.push(`${path}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} (no test reaches it) -> ${JSON.stringify(m.replacement ?? '')}`); break;
        case 'Ignored': c.ignored++; break;
        default: c.errors++;
      }
    }
    for (const k of Object.keys(total)) total[k] += c[k];
    rows.push([path, c]);
  }
  const line = (name, c) => {
    const covered = c.killed + c.timeout + c.survived;
    return `${pad(name, 34)} ${num(pct(c.killed + c.timeout, covered), 7)} ${num(c.killed, 7)} ${num(c.timeout, 8)} ${num(c.survived, 9)} ${num(c.noCoverage, 9)} ${num(c.ignored, 8)}`;
  };
  console.log(`\n${target}: mutation score of covered mutants`);
  console.log(`${pad('file', 34)} ${num('score', 7)} ${num('killed', 7)} ${num('timeout', 8)} ${num('survived', 9)} ${num('no cover', 9)} ${num('ignored', 8)}`);
  for (const [path, c] of rows) console.log(line(path, c));
  console.log(line('all files', total));
  const covered = total.killed + total.timeout + total.survived;
  const score = covered === 0 ? 0 : (100 * (total.killed + total.timeout)) / covered;
  if (survivors.length > 0) {
    console.log(`\n${target}: surviving mutants (each must be harmless: see the README, "Mutation testing")`);
    for (const s of survivors) console.log(`  ${s}`);
  }
  if (score < THRESHOLD) {
    console.log(`\n${target}: ${score.toFixed(1)}% of covered mutants killed, below ${THRESHOLD}%`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
