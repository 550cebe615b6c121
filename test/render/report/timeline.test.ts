/**
 * Timelines derived from the event log: runs per CPU that never overlap, the stop's runs
 * told apart from the trace's tasks, handlers, findings, counters and the zoom window.
 */
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../../src/engine/run.ts'
import {buildTimeline, type Timeline} from '../../../src/report/timeline.ts'
import {loadTraceArg} from '../../../src/scenario/shipped.ts'
import {loadVariant} from '../../../src/variants/registry.ts'

async function timeline(trace: string, variant: string): Promise<{tl: Timeline; cpusStopped: number; findings: number}> {
  const scenario = loadTraceArg(trace)
  const out = runScenario(scenario, await loadVariant(variant), {log: true, logOps: true})
  return {tl: buildTimeline(scenario, out.result, out.log), cpusStopped: out.result.metrics.cpus_stopped, findings: out.result.findings.length}
}

function checkLanes(tl: Timeline): void {
  expect(tl.lanes).toHaveLength(tl.cpus)
  for (const lane of tl.lanes) {
    for (let i = 0; i < lane.runs.length; i++) {
      const r = lane.runs[i]
      expect(r.end).toBeGreaterThanOrEqual(r.start)
      if (i > 0) expect(r.start).toBeGreaterThanOrEqual(lane.runs[i - 1].end)
    }
    for (const h of lane.irqs) expect(h.start >= 0 && h.end <= tl.end && h.end >= h.start).toBe(true)
  }
  expect(tl.focus.from).toBeGreaterThanOrEqual(0)
  expect(tl.focus.to).toBeLessThanOrEqual(tl.end)
  expect(tl.focus.to).toBeGreaterThan(tl.focus.from)
}

describe('buildTimeline', () => {
  it('stop-machine: each CPU is held by its own stopper, on every CPU the stop stopped', async () => {
    const {tl, cpusStopped} = await timeline('small-race', 'stop-machine')
    checkLanes(tl)
    const stopped = tl.lanes.filter((l) => l.runs.some((r) => r.kind === 'stop'))
    expect(stopped).toHaveLength(cpusStopped)
    tl.lanes.forEach((lane, cpu) => {
      for (const r of lane.runs.filter((s) => s.kind === 'stop')) expect(r.name).toBe(`stopper/${cpu}`)
    })
    expect(tl.samples.stall.length).toBeGreaterThan(0)
    const held = tl.counters.find((c) => c.name === 'CPUs held by the stop')!
    expect(Math.max(...held.points.map((p) => p.value))).toBe(3)
    expect(held.points.at(-1)!.value).toBe(0)
  })

  it("lockfree-naive: no stop at all; the refcount counter follows the getters' gets and puts", async () => {
    const {tl} = await timeline('small-race', 'lockfree-naive')
    checkLanes(tl)
    expect(tl.lanes.flatMap((l) => l.runs).filter((r) => r.kind === 'stop')).toEqual([])
    const refs = tl.counters.find((c) => c.name === 'refcount dummy')!
    expect(Math.max(...refs.points.map((p) => p.value))).toBe(2)
    expect(refs.points.at(-1)!.value).toBe(0)
    expect(tl.samples.stall).toEqual([])
  })

  it('a thread the trace starts is never taken for the stop (kthread-hang: mythread, insmod)', async () => {
    const {tl, cpusStopped} = await timeline('kthread-hang', 'lockfree-naive')
    expect(cpusStopped).toBe(0)
    expect(tl.lanes.flatMap((l) => l.runs).filter((r) => r.kind === 'stop')).toEqual([])
  })

  it('get-vs-remove × lockfree-naive: handlers, pending interrupts, the findings, and a zoom around the first', async () => {
    const {tl, findings} = await timeline('get-vs-remove', 'lockfree-naive')
    checkLanes(tl)
    expect(tl.findings).toHaveLength(findings)
    expect(tl.lanes.some((l) => l.irqs.length > 100)).toBe(true)
    const first = Math.min(...tl.findings.map((f) => f.at))
    expect(tl.focus.from).toBeLessThanOrEqual(first)
    expect(tl.focus.to).toBeGreaterThanOrEqual(first)
    expect(tl.focus.to - tl.focus.from).toBeLessThan(tl.end / 10)
  })

  it('rt-starvation × stop-machine: an RT hog waits for the stop (rt latency samples), zoom on the removal', async () => {
    const {tl} = await timeline('rt-starvation', 'stop-machine')
    checkLanes(tl)
    expect(tl.samples.rt.length).toBeGreaterThan(0)
    expect(tl.focus.to - tl.focus.from).toBeLessThan(tl.end / 10)
  })
})
