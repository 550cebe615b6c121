import {describe, expect, it} from 'vitest'
import {checkFixture} from './fixture-check.ts'

describe('nic-irq (perf script)', () => {
  it('imports to the golden trace, its references taken inside irq_handler_entry/exit', async () => {
    const summary = await checkFixture('nic-irq', {rmmodAt: {kind: 'timestamp', ns: 66_846_717_000}})
    expect(summary[0]).toContain('perf script')
    expect(summary).toContain('skipped 20 event lines kreplay does not read: 20 napi_poll')
  }, 120_000)
})
