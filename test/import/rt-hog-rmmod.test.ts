import {describe, expect, it} from 'vitest'
import {checkFixture} from './fixture-check.ts'

describe('rt-hog-rmmod (ftrace, 4-character flags, a 3.10 kernel)', () => {
  it("imports to the golden trace, with the capture's own rmmod, and stopref waits out the FIFO hog", async () => {
    const summary = await checkFixture('rt-hog-rmmod', {})
    expect(summary[0]).toContain('ftrace (4-character flags)')
    expect(summary[0]).toContain("rmmod the capture's module_free")
  }, 120_000)
})
