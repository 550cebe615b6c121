import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {writeFileAtomic} from '../core/write-file-atomic.ts'
import {exploreInFreshThread, type ExploreFigure} from './bench.ts'
import type {ExploreRun} from './explore.ts'

/**
 * The N × I shape of issue 17 (measured there against SPIN): N getters, each on its own
 * CPU, looping I times over get / call / put, and one remover on a CPU of its own. One
 * template for every shape.
 */
export function getterShape(n: number, iterations: number): string {
  return `kreplay: 1
name: getters-${n}x${iterations}
title: ${n} getters looping ${iterations} times against one remover (bench shape)
source:
  - "issue 17: the N getters x I iterations shape, one CPU each, the remover on its own"
seed: 1
horizon: 10ms
machine:
  cpus: ${n + 1}
modules:
  - name: dummy
tasks:
  - name: getter
    count: ${n}
    spread: true
    cpus: "0-${n - 1}"
    program:
      - repeat: ${iterations}
        do:
          - get: dummy
          - call: dummy
            for: 1us
          - put: dummy
  - name: rmmod
    cpus: "${n}"
    start: 2us
    program:
      - rmmod: dummy
`
}

/** The shapes and their targets (seconds) for the complete atomic-refcnt proof. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [3, 3, 1],
  [5, 3, 10],
  [7, 2, 60],
  [7, 3, 300],
]

/** What a stateful run reported, for the note beside a figure. */
function statesNote(r: ExploreRun): string {
  const s = r.result.states
  const why = r.result.complete ? 'complete' : `incomplete (${s?.inexact ?? r.result.stopped})`
  return s === undefined ? why : `${why}; ${s.stored.toLocaleString('en-US')} states stored, ${s.matched.toLocaleString('en-US')} matched, ${r.result.explored.toLocaleString('en-US')} runs`
}

/**
 * Issue 17's figures for the stateful search: the N × I shapes (atomic-refcnt proved,
 * lockfree-naive caught) and small-race against stop-machine and atomic-refcnt, each
 * with the states explored beside it; each search is cut at twice its target. `quick`
 * runs the smallest shape only.
 */
export async function statefulBench(quick = false): Promise<ExploreFigure[]> {
  const out: ExploreFigure[] = []
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-shapes-'))
  for (const [n, iterations, targetS] of quick ? SHAPES.slice(0, 1) : SHAPES) {
    const trace = join(dir, `getters-${n}x${iterations}.yaml`)
    writeFileAtomic(trace, getterShape(n, iterations), true)
    const proof = await exploreInFreshThread({trace, variant: 'atomic-refcnt', strategy: 'stateful', timeMs: targetS * 2000})
    out.push({
      name: `${n}x${iterations} getters × atomic-refcnt, stateful: no finding (complete)`,
      value: proof.searchMs / 1000,
      unit: 's',
      target: `< ${targetS} s`,
      met: proof.result.complete && Object.keys(proof.result.findings).length === 0 && proof.searchMs < targetS * 1000,
      note: statesNote(proof),
    })
    const race = await exploreInFreshThread({trace, variant: 'lockfree-naive', strategy: 'stateful', timeMs: targetS * 2000})
    const c = race.result.counterexamples[0] as (typeof race.result.counterexamples)[number] | undefined
    out.push({
      name: `${n}x${iterations} getters × lockfree-naive, stateful: race found`,
      value: race.searchMs / 1000,
      unit: 's',
      target: 'found',
      met: c !== undefined,
      note: c === undefined ? statesNote(race) : `${c.finding.kind} at run ${c.schedule}, shrunk from ${c.shrunk.from} to ${c.shrunk.to} choices`,
    })
  }
  if (!quick) {
    for (const [variant, targetS] of [['stop-machine', 10], ['atomic-refcnt', 1]] as const) {
      const r = await exploreInFreshThread({trace: 'small-race', variant, strategy: 'stateful', timeMs: Math.max(60, targetS * 2) * 1000})
      out.push({
        name: `small-race × ${variant}, stateful: no finding (complete)`,
        value: r.searchMs / 1000,
        unit: 's',
        target: `< ${targetS} s`,
        met: r.result.complete && Object.keys(r.result.findings).length === 0 && r.searchMs < targetS * 1000,
        note: statesNote(r),
      })
    }
  }
  return out
}
