import {describe, expect, it} from 'vitest'
import {checkFixture} from './fixture-check.ts'

describe('insmod-io-rmmod (trace-cmd report)', () => {
  it('imports to the golden trace, with the insmod and rmmod the capture shows', async () => {
    const summary = await checkFixture('insmod-io-rmmod', {})
    expect(summary[0]).toContain('trace-cmd report (no flags column)')
  }, 120_000)
})
