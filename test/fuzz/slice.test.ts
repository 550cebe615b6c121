import {describe, expect, it} from 'vitest'
import {runCampaign} from '../../fuzz/campaign.ts'

describe('fuzzing campaign, fixed-seed slice', () => {
  it('runs valid and broken traces through run and check: no crash, hang, non-determinism or error without file:line:column', async () => {
    const report = await runCampaign({count: 100, seed: 20261201, workers: 1, guardMs: 60_000, everyVariant: false, outDir: null, shrinkTries: 0})
    expect(report.failures.map((f) => `${f.kind} in case ${f.index}: ${f.why} (kreplay ${f.argv.join(' ')})`)).toEqual([])
    // The slice exercises both halves: accepted traces that ran, and rejected ones.
    expect(report.valid).toBeGreaterThan(30)
    expect(report.rejected).toBeGreaterThan(30)
    expect(report.cases - report.rejected).toBeGreaterThan(30)
  }, 240_000)
})
