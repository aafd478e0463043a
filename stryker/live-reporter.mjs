// A Stryker reporter that appends each tested mutant that was not killed to
// reports/mutation/<target>.live.txt as soon as its result is known, so that survivors can be
// looked at (and tests written for them) while a long run is still going. It also writes every
// tested mutant, with the time its result came and how many tests ran for it, to
// reports/mutation/<target>.timeline.tsv: where a run spends its time (timeouts, survivors that
// rerun every covering test, files whose first test is slow).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { PluginKind, commonTokens, declareClassPlugin } from '@stryker-mutator/api/plugin';

class LiveReporter {
  static inject = [commonTokens.options];
  constructor(options) {
    const target = String(options.mutate?.[0] ?? 'mutation').split('/')[0];
    this.file = `reports/mutation/${target}.live.txt`;
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(this.file, '');
    this.timeline = `reports/mutation/${target}.timeline.tsv`;
    writeFileSync(this.timeline, 'ms\tstatus\twhere\tmutator\ttests\treason\n');
    this.start = Date.now();
    this.tested = 0;
  }
  onMutantTested(m) {
    this.tested++;
    const where = `${m.fileName.replace(/^.*?\/(explorer|invariants)\//, '$1/')}:${m.location.start.line}:${m.location.start.column}`;
    if (m.status !== 'Ignored') {
      appendFileSync(this.timeline, `${Date.now() - this.start}\t${m.status}\t${where}\t${m.mutatorName}\t${m.testsCompleted ?? ''}\t${m.status === 'Timeout' ? (m.statusReason ?? '').slice(0, 40) : ''}\n`);
    }
    if (m.status === 'Killed' || m.status === 'Ignored') return;
    appendFileSync(this.file, `${m.status} ${where} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];
