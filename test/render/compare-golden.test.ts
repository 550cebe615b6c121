/**
 * Golden outputs of `kreplay compare` in its four forms. Regenerate after a deliberate
 * change with `UPDATE_GOLDEN=1 npx vitest run test/render/compare-golden.test.ts`, then
 * review the diff of test/golden/ by eye. The real-run goldens change when a variant's
 * behaviour does.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'
import {aggregate} from '../../src/compare/aggregate.ts'
import {runComparison, type Comparison} from '../../src/compare/compare.ts'
import {loadVariants} from '../../src/compare/load-inputs.ts'
import {METRIC_NAMES, type FindingKind, type Metrics, type RunResult} from '../../src/core/result.ts'
import {compareJson} from '../../src/render/compare-json.ts'
import {renderCompareCsv} from '../../src/render/compare-csv.ts'
import {renderCompareMarkdown} from '../../src/render/compare-markdown.ts'
import {renderCompareTable} from '../../src/render/compare-table.ts'
import {toJson} from '../../src/render/json.ts'
import {widest} from '../../src/render/wrap.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url))
const ESC = '\u001b['

function golden(name: string, actual: string): void {
  const file = `${GOLDEN}${name}`
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

/** Get/call/put from two CPUs and an interrupt while rmmod runs. */
const GET_RMMOD = `
kreplay: 1
name: tiny-get-rmmod
title: two CPUs of get/call/put, and an interrupt doing the same, while rmmod runs
seed: 1
horizon: 200us
machine:
  cpus: 2
  jitter: 0.3
modules:
  - name: m
tasks:
  - name: io
    count: 2
    spread: true
    program:
      - repeat: forever
        do: [{get: m}, {call: m, for: 200ns}, {put: m}, {sleep: 1us}]
  - name: rmmod
    cpus: "1"
    start: 20us
    program: [{rmmod: m}]
irqs:
  - name: nic
    every: 1us
    cost: 300ns
    program: [{get: m}, {call: m, for: 100ns}, {put: m}]
`

/** A module whose init stops the machine for 2 ms, beyond the 1 ms stall threshold. */
const FREEZE = `
kreplay: 1
name: tiny-freeze
title: insmod of a module whose init calls stop_machine for 2 ms
seed: 1
horizon: 5ms
machine:
  cpus: 2
  stall_threshold: 1ms
modules:
  - name: freeze
    loaded: false
    init: [{stop_machine: {for: 2ms}}]
tasks:
  - name: insmod
    start: 100us
    program: [{insmod: freeze}]
`

describe('compare output of real runs (two tiny traces × every shipped variant × 4 seeds)', () => {
  let c: Comparison
  beforeAll(async () => {
    const scenarios = [parseTrace(GET_RMMOD, 'tiny-get-rmmod.yaml'), parseTrace(FREEZE, 'tiny-freeze.yaml')]
    c = runComparison(scenarios, await loadVariants([...SHIPPED_VARIANTS]), {seeds: {count: 4}})
  })

  it('table', () => {
    const text = renderCompareTable(c, {colour: false})
    expect(text).not.toContain(ESC)
    expect(widest(text)).toBeLessThanOrEqual(100)
    golden('compare-table.txt', text)
  })

  it('markdown', () => {
    golden('compare.md', renderCompareMarkdown(c))
  })

  it("markdown escapes a trace's title, the user's text (no raw HTML)", () => {
    const titled = {...c, traces: [{...c.traces[0], title: '<img src="http://x/y.png"> a|b'}]}
    expect(renderCompareMarkdown(titled)).toContain('\\<img src="http://x/y.png"\\> a\\|b (2 CPUs')
  })

  it('csv', () => {
    golden('compare.csv', renderCompareCsv(c))
  })

  it('json', () => {
    const text = toJson(compareJson(c))
    golden('compare.json', text)
    // The contract's RunResult, unchanged, inside each cell.
    const data = JSON.parse(text) as {traces: {cells: {runs: RunResult[]}[]}[]}
    expect(data.traces[0].cells[0].runs[0]).toEqual(c.traces[0].cells[0].runs[0])
  })

  it('colour only when asked for', () => {
    const coloured = renderCompareTable(c, {colour: true})
    expect(coloured).toContain(ESC)
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderCompareTable(c, {colour: false}))
  })
})

/** A RunResult with the given findings and duration metrics scaled by `k`. */
function run(variant: string, seed: number, kinds: readonly FindingKind[], k: number): RunResult {
  const metrics = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, Math.round(k * 10 ** (i % 8) * 1.234)])) as Metrics
  return {
    trace: 'worst-case-trace-name',
    variant,
    seed,
    ended: 'horizon',
    findings: kinds.map((kind) => ({kind, at: 0, cpu: null, task: null, detail: ''})),
    metrics: {...metrics, cpus_stopped: 1024, gets_failed: 123456},
  }
}

/** Every shipped variant, ten seeds, long finding lists and partial counts: the widest table. */
function worstCase(): Comparison {
  const kinds: readonly FindingKind[][] = [
    ['use-after-free', 'freed-while-referenced', 'machine-stall'],
    ['hang', 'deadlock'],
    ['affinity-lost', 'soft-lockup'],
    ['latency-budget'],
    [],
    ['freed-while-referenced'],
  ]
  const traces = ['isolated-rt-hog@1024cpus', 'io-storm@64cpus'].map((trace) => {
    const seeds = Array.from({length: 10}, (_, i) => i + 1)
    const cells = SHIPPED_VARIANTS.map((variant, v) => {
      const mine = kinds[v % kinds.length]
      const runs = seeds.map((seed) => run(variant, seed, seed % (v + 2) === 0 ? mine : mine.slice(1), seed * (v + 1)))
      return {variant, runs, aggregate: aggregate(runs), searched: v % 4 === 3 ? (['use-after-free', 'deadlock'] as const) : null}
    })
    return {trace, replay: null, cpus: Number(/@(\d+)/.exec(trace)?.[1]), title: 'a title long enough that it has to wrap onto a second line when the table is printed in one hundred columns', seeds, cells}
  })
  return {variants: [...SHIPPED_VARIANTS], traces}
}

describe('compare table width', () => {
  it('fits 100 columns with every shipped variant, 10 seeds and long findings', () => {
    const text = renderCompareTable(worstCase(), {colour: false})
    expect(widest(text)).toBeLessThanOrEqual(100)
    golden('compare-wide.txt', text)
  })
})
