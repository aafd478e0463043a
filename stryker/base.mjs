// Shared Stryker settings for `npm run mutation` (see the README's "Mutation testing").
// Each target mutates one folder and runs only the fast, focused tests of that folder, with
// per-test coverage so that a mutant reruns only the tests that reach it.
/** @param {string} target  explorer | invariants */
export function strykerConfig(target) {
  return {
    testRunner: 'vitest',
    vitest: { configFile: `stryker/${target}.vitest.config.ts`, related: false },
    coverageAnalysis: 'perTest',
    mutate: [`${target}/**/*.ts`],
    // Two workers: the run must stay under 30 minutes on a 2-core machine and leave it usable.
    concurrency: 2,
    timeoutMS: 5_000,
    reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${target}.html` },
    jsonReporter: { fileName: `reports/mutation/${target}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
    incrementalFile: `reports/mutation/${target}.incremental.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    thresholds: { high: 95, low: 90, break: null },
  };
}
