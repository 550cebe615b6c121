/**
 * What a report keeps of a logged run (src/report/run-view.ts): its result, its timeline,
 * and the stretch of its event log around the first finding.
 */
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import loggedRunView, {EXCERPT_AFTER, EXCERPT_BEFORE} from '../../src/report/run-view.ts'
import {buildTimeline} from '../../src/report/timeline.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

async function logged(trace: string, variant: string) {
  const scenario = loadTraceArg(trace)
  const output = runScenario(scenario, await loadVariant(variant), {log: true, logOps: true})
  return {scenario, output, view: loggedRunView(output, scenario)}
}

describe("a logged run's view", () => {
  it('keeps one stretch of the log: up to EXCERPT_BEFORE lines before the first finding, up to EXCERPT_AFTER from it', async () => {
    // kthread-hang × krmmod: a hung task after 478 of 862 lines; affinity × stopref: lost
    // affinity after 82 of 84; get-vs-remove × lockfree-naive: hundreds of findings, the
    // first after 2,669 lines.
    for (const [trace, variant] of [['kthread-hang', 'krmmod'], ['affinity', 'stopref'], ['get-vs-remove', 'lockfree-naive']]) {
      const {output, view} = await logged(trace, variant)
      const first = Math.min(...output.result.findings.map((f) => f.at))
      const start = output.log.indexOf(view.excerpt[0])
      expect(view.excerpt, trace).toEqual(output.log.slice(start, start + view.excerpt.length))
      const before = output.log.filter((l) => l.t < first).length
      expect(view.excerpt.filter((l) => l.t < first), trace).toHaveLength(Math.min(before, EXCERPT_BEFORE))
      expect(view.excerpt.filter((l) => l.t >= first), trace).toHaveLength(Math.min(output.log.length - before, EXCERPT_AFTER))
    }
  })

  it('keeps no log for a run without findings, and the timeline its log draws', async () => {
    const {scenario, output, view} = await logged('idle-rmmod', 'stop-machine')
    expect(output.result.findings).toEqual([])
    expect(view.excerpt).toEqual([])
    expect(view.result).toBe(output.result)
    expect(view.timeline).toEqual(buildTimeline(scenario, output.result, output.log))
  })
})
