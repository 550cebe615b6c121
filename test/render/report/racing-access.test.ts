/**
 * Every step that races is drawn (issue 15): a finding's access is an event at its time
 * and CPU in the report's CPU columns (report.md, lkml.txt), its HTML timeline and its
 * Perfetto trace, as it is in `--log` and the lanes.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderCpuColumns} from '../../../src/render/report/cpu-columns.ts'
import type {TraceEvent} from '../../../src/render/report/trace-events.ts'
import {smallRaceReport} from './small-race-report.ts'

const UAF = {kind: 'use-after-free' as const, at: 6017, cpu: 1, task: 'getter/1', detail: 'getter/1 read state of module dummy after it was freed'}

describe('CPU columns', () => {
  it("draw a finding's access in its CPU's column at its time, then the finding across the columns", () => {
    const log = [
      {t: 0, cpu: 1, task: 'getter/1', what: 'switch in'},
      {t: 0, cpu: 2, task: 'rmmod', what: 'switch in'},
      {t: 5269, cpu: 2, task: 'rmmod', what: 'free_module(dummy)'},
      {t: 6520, cpu: 1, task: 'getter/1', what: 'exit'},
    ]
    expect(renderCpuColumns(log, [UAF], {cpus: 3, width: 100})).toEqual([
      'time (us)  CPU0                          CPU1                          CPU2',
      '---------  ----------------------------  ----------------------------  ----------------------------',
      '    0.000                                > getter/1                    > rmmod',
      '    5.269                                                              free_module(dummy)',
      '    6.017                                !! use-after-free: read',
      '                                         state of module dummy after',
      '                                         it was freed',
      '    6.017  !! use-after-free: getter/1 read state of module dummy after it was freed',
      '    6.520                                exit',
    ])
  })

  it('name the task when it is not the one the CPU runs', () => {
    const lines = renderCpuColumns([{t: 0, cpu: 1, task: 'io/0', what: 'switch in'}], [UAF], {cpus: 2, width: 200})
    const cpu1 = lines[0].indexOf('CPU1')
    expect(lines[3].startsWith('    6.017')).toBe(true)
    expect(lines[3].slice(cpu1)).toBe('getter/1: !! use-after-free: read state of module dummy after it was freed')
  })
})

describe("small-race × lockfree-naive's counterexample in the report", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-racing-access-'))
  const read = (f: string) => readFileSync(join(dir, f), 'utf8')
  beforeAll(() => smallRaceReport(dir), 120_000)
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  /** The counterexample's CPU columns in a report file: the text block after its heading. */
  function columns(text: string, heading: RegExp): string[] {
    const at = text.search(heading)
    expect(at).toBeGreaterThanOrEqual(0)
    const lines = text.slice(at).split('\n')
    const head = lines.findIndex((l) => l.startsWith('time (us)'))
    const end = lines.findIndex((l, i) => i > head && (l.startsWith('```') || l.trim() === ''))
    return lines.slice(head, end)
  }

  it.each([
    ['report.md', /### small-race × lockfree-naive: use-after-free/],
    ['lkml.txt', /getter\/1 read state of module dummy after it was freed:\n/],
  ])('%s: the read of the freed module is in CPU1\'s column at 6.017 us', (file, heading) => {
    const lines = columns(read(file), heading)
    const cpu1 = lines[0].indexOf('CPU1')
    const access = lines.find((l) => l.startsWith('    6.017') && l.indexOf('!!') === cpu1)
    expect(access, lines.join('\n')).toBeDefined()
    expect(access!.slice(cpu1)).toMatch(/^!! use-after-free:/)
  })

  it('report.html: the finding is marked on cpu1 at 6.02 µs, with the access it names', () => {
    expect(read('report.html')).toContain('data-tip="use-after-free at 6.02 µs on cpu1 (getter/1): getter/1 read state of module dummy after it was freed"')
  })

  it("trace.json: an instant event on CPU1's thread at 6.017 µs", () => {
    const {traceEvents: events} = JSON.parse(read('trace.json')) as {traceEvents: TraceEvent[]}
    const pid = events.find((e) => e.name === 'process_name' && e.args?.name === 'small-race × lockfree-naive: use-after-free counterexample')!.pid
    const cpu1 = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CPU 1')!.tid
    expect(events.filter((e) => e.pid === pid && e.ph === 'i')).toEqual([
      {name: 'use-after-free', cat: 'finding', ph: 'i', ts: 6.017, pid, tid: cpu1, s: 't', args: {detail: 'getter/1 read state of module dummy after it was freed', task: 'getter/1'}},
    ])
  })
})
