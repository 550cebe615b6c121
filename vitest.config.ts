import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // @oclif/test's runCommand captures stdout itself; vitest must not intercept it first.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    // Two tiers, both run by `npm test`: `vitest run --project fast` while iterating.
    projects: [
      {extends: true, test: {name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.slow.test.ts']}},
      // Searches that take tens of seconds: brute-force enumeration, long sampling searches.
      {extends: true, test: {name: 'slow', include: ['test/**/*.slow.test.ts'], testTimeout: 600_000}},
    ],
  },
})
