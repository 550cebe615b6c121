import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/core/input-error.ts'
import {runComparison, seedsFor} from '../../src/compare/compare.ts'
import {loadScenarios, loadVariants} from '../../src/compare/load-inputs.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {shippedIds, UnknownVariantError} from '../../src/variants/registry.ts'

const TRACE = `
kreplay: 1
name: tiny
seed: 5
horizon: 2ms
machine:
  cpus: 2
  jitter: 0.2
modules:
  - name: m
tasks:
  - name: rmmod
    start: 100us
    program: [{rmmod: m}]
`

describe('runComparison', () => {
  it('runs trace.seed .. trace.seed+N-1 with --seeds N, and exactly the seed given with --seed', async () => {
    const scenario = parseTrace(TRACE, 'tiny.yaml')
    expect(seedsFor(scenario, {count: 3})).toEqual([5, 6, 7])
    expect(seedsFor(scenario, {first: 42, count: 1})).toEqual([42])
    const variants = await loadVariants(['stop-machine'])
    const progress: string[] = []
    const c = runComparison([scenario], variants, {seeds: {count: 3}, onRun: (done, total) => progress.push(`${done}/${total}`)})
    expect(progress).toEqual(['1/3', '2/3', '3/3'])
    expect(c.variants).toEqual(['stop-machine'])
    expect(c.traces[0].seeds).toEqual([5, 6, 7])
    expect(c.traces[0].cells[0].runs.map((r) => r.seed)).toEqual([5, 6, 7])
    expect(c.traces[0].cells[0].aggregate.seeds).toBe(3)
  })

  it('is deterministic', async () => {
    const scenario = parseTrace(TRACE, 'tiny.yaml')
    const variants = await loadVariants(['stop-machine'])
    expect(JSON.stringify(runComparison([scenario], variants, {seeds: {count: 2}}))).toBe(
      JSON.stringify(runComparison([scenario], variants, {seeds: {count: 2}})),
    )
  })

  it('searches the cells the plan names, and finds what the seeded run does not show', async () => {
    const [scenario] = loadScenarios(['isolated-io'])
    const variants = await loadVariants(['isolcpu-skip-cpustop', 'atomic-refcnt'])
    const expected = runComparison([scenario], variants, {search: 'expected'}).traces[0].cells
    // The trace leaves isolcpu-skip-cpustop's race to search: its seeded run shows nothing.
    expect(expected[0].aggregate.findings).toEqual({})
    expect(expected[0].searched).toEqual(['use-after-free', 'freed-while-referenced'])
    expect(expected[1].searched).toBeNull()
    expect(runComparison([scenario], variants).traces[0].cells.map((c) => c.searched)).toEqual([null, null])
    // Searched everywhere, atomic-refcnt's search finds nothing.
    expect(runComparison([scenario], variants, {search: 'all'}).traces[0].cells.map((c) => c.searched)).toEqual([['use-after-free', 'freed-while-referenced'], []])
  }, 120_000)

  it('refuses the same variant twice and a seed count below 1', async () => {
    const scenario = parseTrace(TRACE, 'tiny.yaml')
    const [v] = await loadVariants(['stop-machine'])
    expect(() => runComparison([scenario], [v, v])).toThrow(InputError)
    expect(() => runComparison([scenario], [v], {seeds: {count: 0}})).toThrow(InputError)
  })
})

describe('loading what to compare', () => {
  it('an unknown variant is an error that lists the valid ones', async () => {
    const err = await loadVariants(['stop-machine', 'no-such-variant']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnknownVariantError)
    expect((err as Error).message).toContain('unknown variant "no-such-variant"')
    for (const id of shippedIds()) expect((err as Error).message).toContain(id)
  })

  it('an unknown trace is an error that lists the shipped ones', () => {
    expect(() => loadScenarios(['no-such-trace'])).toThrow(InputError)
    expect(() => loadScenarios(['no-such-trace'])).toThrow(/idle-rmmod/)
  })

  it('defaults to every shipped variant, drops duplicates, and resizes per --cpus size', async () => {
    expect((await loadVariants([])).map((v) => v.meta.id)).toEqual(shippedIds())
    expect((await loadVariants(['stop-machine', 'stop-machine'])).map((v) => v.meta.id)).toEqual(['stop-machine'])
    expect(loadScenarios(['idle-rmmod'], [2, 8]).map((s) => s.name)).toEqual(['idle-rmmod@2cpus', 'idle-rmmod@8cpus'])
  })
})
