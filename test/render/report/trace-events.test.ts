/**
 * trace.json against the Chrome Trace Event Format's rules, as Perfetto reads them:
 * every event has ph, ts, pid and tid; every X has dur >= 0; M events name every process
 * and every thread that carries events; X slices nest strictly per thread; counter values
 * are numbers. Checked on a run with interrupt handlers inside task runs (get-vs-remove),
 * on the small-race report's trace.json, and on `run --perfetto` of a schedule replay.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runScenario} from '../../../src/engine/run.ts'
import {traceEvents, traceEventsJson, type TraceEvent} from '../../../src/render/report/trace-events.ts'
import {buildTimeline} from '../../../src/report/timeline.ts'
import {loadTraceArg} from '../../../src/scenario/shipped.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../../src/variants/registry.ts'
import {runCli} from '../../helpers/cli.ts'
import {smallRaceReport} from './small-race-report.ts'

/** Every rule the file must keep; returns the broken ones. */
function broken(events: readonly TraceEvent[]): string[] {
  const out: string[] = []
  const named = new Set<string>()
  const threads = new Set<string>()
  for (const e of events) {
    for (const k of ['ph', 'ts', 'pid', 'tid'] as const) if ((e as unknown as Record<string, unknown>)[k] === undefined) out.push(`${JSON.stringify(e)} has no ${k}`)
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) out.push(`${JSON.stringify(e)}: ts is not a time`)
    if (e.ph === 'M' && e.name === 'process_name') named.add(String(e.pid))
    if (e.ph === 'M' && e.name === 'thread_name') threads.add(`${e.pid}/${e.tid}`)
    if (e.ph === 'X' && (typeof e.dur !== 'number' || e.dur < 0)) out.push(`${JSON.stringify(e)}: dur < 0`)
    if (e.ph === 'C') for (const [k, v] of Object.entries(e.args ?? {})) if (typeof v !== 'number') out.push(`counter ${e.name}.${k} is not a number`)
  }
  const byThread = new Map<string, TraceEvent[]>()
  for (const e of events) {
    if (!named.has(String(e.pid))) out.push(`process ${e.pid} has no process_name`)
    if (e.ph === 'X' || (e.ph === 'i' && e.s === 't')) {
      const key = `${e.pid}/${e.tid}`
      if (!threads.has(key)) out.push(`thread ${key} has no thread_name`)
      if (e.ph === 'X') byThread.set(key, [...(byThread.get(key) ?? []), e])
    }
  }
  // Strict nesting: in start order (longer first), each slice ends before the next
  // sibling starts, or holds it entirely. Compared in whole ns.
  const ns = (us: number): number => Math.round(us * 1000)
  for (const [key, slices] of byThread) {
    const sorted = [...slices].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
    const stack: {start: number; end: number}[] = []
    for (const s of sorted) {
      const start = ns(s.ts)
      const end = ns(s.ts + s.dur!)
      while (stack.length && stack[stack.length - 1].end <= start) stack.pop()
      const top = stack.at(-1)
      if (top !== undefined && end > top.end) out.push(`thread ${key}: ${s.name} at ${s.ts} crosses the end of its parent`)
      stack.push({start, end})
    }
  }
  return out
}

describe('trace.json follows the Trace Event Format', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kreplay-perfetto-'))
  })
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('the checker itself catches a crossing slice, a nameless thread and a negative duration', () => {
    const meta: TraceEvent[] = [
      {name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 0, args: {name: 'p'}},
      {name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 1, args: {name: 'CPU 0'}},
    ]
    expect(broken([...meta, {name: 'a', ph: 'X', ts: 0, dur: 2, pid: 1, tid: 1}, {name: 'b', ph: 'X', ts: 1, dur: 2, pid: 1, tid: 1}])).toHaveLength(1)
    expect(broken([...meta, {name: 'a', ph: 'X', ts: 0, dur: 2, pid: 1, tid: 7}])).toHaveLength(1)
    expect(broken([...meta, {name: 'a', ph: 'X', ts: 0, dur: -1, pid: 1, tid: 1}])).toHaveLength(1)
    expect(broken([...meta, {name: 'a', ph: 'X', ts: 0, dur: 2, pid: 1, tid: 1}, {name: 'b', ph: 'X', ts: 0.5, dur: 1.5, pid: 1, tid: 1}])).toEqual([])
  })

  it('a run with interrupts inside task runs: rules kept, handlers nested, findings and counters present', async () => {
    const scenario = loadTraceArg('get-vs-remove')
    const out = runScenario(scenario, await loadVariant('lockfree-naive'), {log: true, logOps: true})
    const events = traceEvents([{name: 'get-vs-remove × lockfree-naive', timeline: buildTimeline(scenario, out.result, out.log)}])
    expect(broken(events)).toEqual([])
    expect(events.filter((e) => e.ph === 'X' && e.cat === 'irq').length).toBeGreaterThan(100)
    expect(events.filter((e) => e.ph === 'i').map((e) => e.name)).toEqual(out.result.findings.map((f) => f.kind))
    expect(new Set(events.filter((e) => e.ph === 'C').map((e) => e.name))).toEqual(new Set(['refcount dummy', 'CPUs held by the stop']))
    // Nanoseconds survive as µs decimals.
    expect(events.some((e) => e.ph === 'X' && !Number.isInteger(e.ts * 100))).toBe(true)
    const parsed = JSON.parse(traceEventsJson(events)) as {traceEvents: TraceEvent[]}
    expect(parsed.traceEvents).toEqual(events)
  })

  it("the report's trace.json: one process per trace × variant and counterexample, CPU threads named", async () => {
    await smallRaceReport(dir)
    const {traceEvents: events} = JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8')) as {traceEvents: TraceEvent[]}
    expect(broken(events)).toEqual([])
    const processes = events.filter((e) => e.name === 'process_name').map((e) => e.args!.name)
    expect(processes.slice(0, SHIPPED_VARIANTS.length)).toEqual(SHIPPED_VARIANTS.map((v) => `small-race × ${v} (seed 1)`))
    expect(processes).toContain('small-race × lockfree-naive: use-after-free counterexample')
    const stopped = events.filter((e) => e.ph === 'C' && e.name === 'CPUs held by the stop' && e.pid === 3).map((e) => e.args!.value as number)
    expect(Math.max(...stopped)).toBe(3)
  }, 120_000)

  it('run --perfetto writes a replayed schedule, and will not overwrite without --force', async () => {
    const schedule = join(dir, 'small-race.lockfree-naive.use-after-free.schedule.json')
    if (!existsSync(schedule)) return expect.unreachable('the previous test writes the schedule file')
    const file = join(dir, 'cx.json')
    const first = await runCli('run', 'small-race', '--variant', 'lockfree-naive', '--schedule', schedule, '--perfetto', file)
    expect(first.code, first.stderr).toBe(0)
    const {traceEvents: events} = JSON.parse(readFileSync(file, 'utf8')) as {traceEvents: TraceEvent[]}
    expect(broken(events)).toEqual([])
    expect(events.filter((e) => e.ph === 'i').map((e) => e.name)).toContain('use-after-free')
    const again = await runCli('run', 'small-race', '--variant', 'lockfree-naive', '--perfetto', file)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists; pass --force to replace it/)
    expect((await runCli('run', 'small-race', '--variant', 'lockfree-naive', '--perfetto', file, '--force')).code).toBe(0)
    // Not a file named -: standard output already has the run.
    const dash = await runCli('run', 'small-race', '--variant', 'lockfree-naive', '--perfetto', '-')
    expect(dash.code).toBe(2)
    expect(dash.stderr).toBe('kreplay: --perfetto -: the run itself is printed on standard output; name a file for its trace events\n')
  }, 60_000)
})
