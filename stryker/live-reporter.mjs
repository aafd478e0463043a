// A Stryker reporter that appends each tested mutant that was not killed to
// reports/mutation/<target>.live.txt as soon as its result is known, so that survivors can be
// looked at (and tests written for them) while a long run is still going.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { PluginKind, commonTokens, declareClassPlugin } from '@stryker-mutator/api/plugin';

class LiveReporter {
  static inject = [commonTokens.options];
  constructor(options) {
    const target = String(options.mutate?.[0] ?? 'mutation').split('/')[0];
    this.file = `reports/mutation/${target}.live.txt`;
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(this.file, '');
    this.tested = 0;
  }
  onMutantTested(m) {
    this.tested++;
    if (m.status === 'Killed' || m.status === 'Ignored') return;
    const where = `${m.fileName.replace(/^.*?\/(explorer|invariants)\//, '$1/')}:${m.location.start.line}:${m.location.start.column}`;
    appendFileSync(this.file, `${m.status} ${where} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];
