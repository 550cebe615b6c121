import {availableParallelism} from 'node:os'
import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // @oclif/test's runCommand captures stdout itself; vitest must not intercept it first.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    // vitest's default is one worker fewer than the CPUs: one file at a time on a 2-core
    // machine. The main process only waits, so take at least two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Two tiers, both run by `npm test`: `vitest run --project fast` while iterating.
    projects: [
      {extends: true, test: {name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.slow.test.ts']}},
      // Searches that take tens of seconds: brute-force enumeration, long sampling searches.
      {extends: true, test: {name: 'slow', include: ['test/**/*.slow.test.ts'], testTimeout: 600_000}},
    ],
  },
})
