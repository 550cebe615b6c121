import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // @oclif/test's runCommand captures stdout itself; vitest must not intercept it first.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
  },
})
