import {availableParallelism} from 'node:os'
import {BaseSequencer, type TestSpecification} from 'vitest/node'
import {defineConfig} from 'vitest/config'

/**
 * vitest's order (files that failed or took longest last time first, else larger files
 * first), except that the slow tier goes before the fast one instead of after it: its
 * files take tens of seconds each, and started last they leave the other workers idle
 * while the last one finishes.
 */
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const slow = (f: TestSpecification): boolean => f.project.name === 'slow'
    return [...sorted.filter(slow), ...sorted.filter((f) => !slow(f))]
  }
}

/** Whether this is a coverage run (`npm run coverage`, `vitest run --coverage`). */
const COVERAGE = process.argv.includes('--coverage') || process.argv.includes('--coverage.enabled=true')

export default defineConfig({
  test: {
    // Tests import kreplay the way the CLI does, through Node's own loader with tsx, not
    // through Vite's module runner (which rewrites each import into a read of a module
    // object): under the runner the engine ran 1.75x slower, the compiled dist/ too
    // (small-race x atomic-refcnt's exhaustive search: 13.3 s, against 7.5 s). Nothing here
    // needs what the runner gives (no test mocks a module or uses import.meta.vitest).
    // Except `npm run coverage`: v8 coverage of TypeScript that Node loads itself needs
    // Node 22.15 (module.stripTypeScriptTypes), so coverage runs keep the runner.
    experimental: {viteModuleRunner: COVERAGE, nodeLoader: false},
    execArgv: COVERAGE ? [] : ['--import', 'tsx'], // Node 20 cannot load TypeScript by itself
    // dist/ built before the tests: those that start kreplay as a process run bin/run.js.
    globalSetup: ['test/build-dist.js'],
    coverage: {include: ['src/**'], reporter: ['text-summary', 'json-summary']},
    // @oclif/test's runCommand captures stdout itself; vitest must not intercept it first.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    // compare, check and report keep their runs in the test's own thread: vitest already
    // keeps both cores busy, and each worker thread those commands would start loads the
    // sources afresh, about 15 CPU-seconds in all. The worker paths have tests of their own
    // that ask for workers by option; the compiled CLI that test/helpers/cli.ts starts
    // keeps the user's default.
    env: {KREPLAY_WORKERS: '0'},
    // vitest's default is one worker fewer than the CPUs: one file at a time on a 2-core
    // machine. The main process only waits, so take at least two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: {sequencer: SlowFirst},
    // Test files share a worker's modules instead of each loading kreplay afresh (a fifth of
    // the suite's time went to imports). Sound because no test mocks a module or leaves
    // state in one: the engine keeps a run's state in the run's own objects.
    isolate: false,
    // Two tiers, both run by `npm test`: `vitest run --project fast` while iterating.
    projects: [
      {extends: true, test: {name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.slow.test.ts']}},
      // Searches that take tens of seconds: brute-force enumeration, long sampling searches.
      {extends: true, test: {name: 'slow', include: ['test/**/*.slow.test.ts'], testTimeout: 600_000}},
    ],
  },
})
