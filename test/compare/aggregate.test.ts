import {describe, expect, it} from 'vitest'
import {aggregate, spread} from '../../src/compare/aggregate.ts'
import {verdict, verdictLegend, verdictText, VERDICT_WORDS} from '../../src/compare/verdict.ts'
import {FINDING_KINDS, METRIC_NAMES, type EndReason, type FindingKind, type Metrics, type RunResult} from '../../src/core/result.ts'

/** A RunResult with the given findings and metrics (others 0). */
function run(seed: number, kinds: FindingKind[], metrics: Partial<Metrics> = {}, ended: EndReason = 'idle'): RunResult {
  const all = Object.fromEntries(METRIC_NAMES.map((m) => [m, metrics[m] ?? 0])) as Metrics
  return {
    trace: 't',
    variant: 'v',
    seed,
    ended,
    findings: kinds.map((kind, i) => ({kind, at: i, cpu: null, task: null, detail: ''})),
    metrics: all,
  }
}

describe('spread', () => {
  it('takes the lower median, a value some seed produced, and the max', () => {
    expect(spread([40, 12, 30])).toEqual({median: 30, max: 40})
    expect(spread([40, 12, 30, 20])).toEqual({median: 20, max: 40})
    expect(spread([7])).toEqual({median: 7, max: 7})
    expect(spread([])).toEqual({median: null, max: null})
  })

  it('leaves out the runs a metric does not apply to (null)', () => {
    expect(spread([null, 40, 12])).toEqual({median: 12, max: 40})
    expect(spread([null, null])).toEqual({median: null, max: null})
  })
})

describe('aggregate', () => {
  const runs = [
    run(1, ['use-after-free', 'use-after-free', 'machine-stall'], {rmmod_latency: 12_000, cpus_stopped: 4}),
    run(2, [], {rmmod_latency: 40_000, cpus_stopped: 4}),
    run(3, ['use-after-free'], {rmmod_latency: 10_000, cpus_stopped: 4}, 'step-budget'),
  ]
  const agg = aggregate(runs)

  it('counts each finding kind once per seed that showed it, in contract order', () => {
    expect(agg.seeds).toBe(3)
    expect(agg.findings).toEqual({'use-after-free': 2, 'machine-stall': 1})
    expect(Object.keys(agg.findings)).toEqual(['use-after-free', 'machine-stall'])
  })

  it('gives every metric its median and max over the seeds', () => {
    expect(agg.metrics.rmmod_latency).toEqual({median: 12_000, max: 40_000})
    expect(agg.metrics.cpus_stopped).toEqual({median: 4, max: 4})
    expect(Object.keys(agg.metrics)).toEqual([...METRIC_NAMES])
  })

  it('counts how the runs ended', () => {
    expect(agg.ended).toEqual({idle: 2, 'step-budget': 1})
  })
})

describe('verdict', () => {
  it('names the most severe kind any seed showed, with n/N when not every seed showed it, and never hides a kind seen in more seeds', () => {
    const v = verdict(aggregate([run(1, ['machine-stall', 'use-after-free']), run(2, ['machine-stall'])]))
    expect(v).toEqual({word: 'uaf', bySearch: false, kind: 'use-after-free', seen: 1, of: 2, also: [{word: 'stall', seen: 2}]})
    expect(verdictText(v)).toBe('uaf 1/2 stall')
    expect(verdictText(verdict(aggregate([run(1, ['use-after-free', 'hang']), run(2, ['hang']), run(3, ['hang', 'affinity-lost'])])))).toBe('uaf 1/3 hang')
    expect(verdictText(verdict(aggregate([run(1, ['hang']), run(2, ['hang', 'affinity-lost'])])))).toBe('hang')
  })

  it('is ok without findings, budget when a run ran out of steps', () => {
    expect(verdictText(verdict(aggregate([run(1, [])])))).toBe('ok')
    expect(verdictText(verdict(aggregate([run(1, [], {}, 'step-budget'), run(2, [])])))).toBe('budget 1/2')
  })

  it('names a more severe kind schedule search found, marked, with what the seeds showed after it', () => {
    const stalled = aggregate([run(1, ['machine-stall']), run(2, [])])
    const v = verdict(stalled, ['use-after-free', 'machine-stall'])
    expect(v).toEqual({word: 'uaf', bySearch: true, kind: 'use-after-free', seen: 2, of: 2, also: [{word: 'stall', seen: 1}]})
    expect(verdictText(v)).toBe('uaf* stall 1/2')
    expect(verdictText(verdict(aggregate([run(1, [])]), ['use-after-free']))).toBe('uaf*')
    // What the seeds already show, or a less severe kind, changes nothing.
    expect(verdictText(verdict(aggregate([run(1, ['use-after-free'])]), ['use-after-free']))).toBe('uaf')
    expect(verdictText(verdict(aggregate([run(1, ['deadlock'])]), ['machine-stall']))).toBe('deadlock')
    expect(verdictText(verdict(aggregate([run(1, [])]), []))).toBe('ok')
    expect(verdictLegend([v])).toEqual(['uaf: use-after-free', 'stall: machine-stall', 'n/N: seen in n of N seeds', '*: found by schedule search, not by the seeded run (kreplay explore shows it)'])
  })

  it('has a legend for the words used, in severity order', () => {
    const vs = [verdict(aggregate([run(1, [])])), verdict(aggregate([run(1, ['machine-stall']), run(2, [])])), verdict(aggregate([run(1, ['deadlock'])]))]
    expect(verdictLegend(vs)).toEqual(['ok: no finding', 'deadlock', 'stall: machine-stall', 'n/N: seen in n of N seeds'])
  })
})

describe('the summary matrix words', () => {
  it('has a word for every finding kind, so no cell reads ok while its row shows a finding', () => {
    expect(VERDICT_WORDS.map(([kind]) => kind).sort()).toEqual([...FINDING_KINDS].sort())
  })
})
