import {describe, expect, it} from 'vitest'
import {checkFixture} from './fixture-check.ts'

describe('isolated-completions (ftrace, 5-character flags, tgid column)', () => {
  it('imports to the golden trace, whose hard-irq gets on isolated CPU 3 race isolcpu-skip-cpustop', async () => {
    const summary = await checkFixture('isolated-completions', {rmmodAt: {kind: 'offset', ns: 1_000_000}})
    expect(summary[0]).toContain('ftrace (5-character flags)')
    expect(summary).toContain('skipped 80 event lines kreplay does not read: 80 hrtimer_expire_entry')
  }, 120_000)
})
