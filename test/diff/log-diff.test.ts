import {describe, expect, it} from 'vitest'
import {describeDivergence, describeFindings, diffLogs, firstDivergence} from '../../src/diff/log-diff.ts'
import {diffLineLists, unifiedDiff} from '../../src/diff/unified-diff.ts'
import type {LogLine} from '../../src/engine/engine.ts'
import {METRIC_NAMES, type Metrics, type RunResult} from '../../src/core/result.ts'

const line = (t: number, cpu: number, task: string, what: string): LogLine => ({t, cpu, task, what})

const A: LogLine[] = [
  line(1_000_000, 0, 'rmmod', 'wakeup on cpu0'),
  line(1_000_000, 0, 'rmmod', 'switch in'),
  line(1_003_400, 0, 'rmmod', 'switch in'),
  line(1_010_000, 0, 'rmmod', 'exit'),
]
const B: LogLine[] = [
  line(1_000_000, 0, 'rmmod', 'wakeup on cpu0'),
  line(1_000_000, 0, 'rmmod', 'switch in'),
  line(1_003_400, 0, 'stopper/0', 'switch in'),
  line(1_005_000, 0, 'rmmod', 'exit'),
]

function result(variant: string, kinds: RunResult['findings'][number]['kind'][]): RunResult {
  return {
    trace: 't',
    variant,
    seed: 1,
    ended: 'idle',
    findings: kinds.map((kind, i) => ({kind, at: 1_000_000 * (i + 1), cpu: 0, task: null, detail: ''})),
    metrics: Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Metrics,
  }
}

describe('first divergence', () => {
  it('is the first event that differs in CPU, task or what happened, not in time alone', () => {
    expect(firstDivergence(A, B)).toEqual({index: 2, a: A[2], b: B[2]})
    const retimed = A.map((e) => ({...e, t: e.t + 500}))
    expect(firstDivergence(A, retimed)).toBeNull()
    expect(firstDivergence(A, A)).toBeNull()
    expect(firstDivergence(A, A.slice(0, 3))).toEqual({index: 3, a: A[3], b: null})
  })

  it('reads as one line, with the time of the earlier event', () => {
    expect(describeDivergence(firstDivergence(A, B), A.length)).toBe(
      'first divergence at 1.003400 ms (event 3): A: cpu0 rmmod switch in | B: cpu0 stopper/0 switch in',
    )
    const later = [...B.slice(0, 2), line(1_004_000, 0, 'stopper/0', 'switch in')]
    expect(describeDivergence(firstDivergence(A, later), A.length)).toBe(
      'first divergence at 1.003400 ms (event 3): A: cpu0 rmmod switch in | B: at 1.004000 ms: cpu0 stopper/0 switch in',
    )
    expect(describeDivergence(firstDivergence(A.slice(0, 2), B), 2)).toBe(
      'first divergence at 1.003400 ms (event 3): A: end of log | B: cpu0 stopper/0 switch in',
    )
    expect(describeDivergence(null, 4)).toBe('no divergence: the same 4 events in the same order')
  })

  it('findings read as one line per side, grouped by kind', () => {
    expect(describeFindings('A', 'stopref', result('stopref', []).findings)).toBe('A stopref: no findings')
    expect(describeFindings('B', 'x', result('x', ['use-after-free', 'machine-stall', 'use-after-free']).findings)).toBe(
      'B x: use-after-free ×2 (first at 1.00 ms), machine-stall at 2.00 ms',
    )
  })
})

describe('diffLogs', () => {
  it('heads a unified diff with the divergence and the findings; events match without their times', () => {
    const text = diffLogs({label: 'stopref', result: result('stopref', []), log: A}, {label: 'krmmod', result: result('krmmod', ['hang']), log: B})
    expect(text).toBe(
      [
        'first divergence at 1.003400 ms (event 3): A: cpu0 rmmod switch in | B: cpu0 stopper/0 switch in',
        'A stopref: no findings',
        'B krmmod: hang at 1.00 ms',
        '--- a/stopref\tt, seed 1',
        '+++ b/krmmod\tt, seed 1',
        '@@ -1,4 +1,4 @@',
        '     1.000000 ms  cpu0   rmmod            wakeup on cpu0',
        '     1.000000 ms  cpu0   rmmod            switch in',
        '-    1.003400 ms  cpu0   rmmod            switch in',
        '+    1.003400 ms  cpu0   stopper/0        switch in',
        '     1.010000 ms  cpu0   rmmod            exit  [B at 1.005000 ms]',
        '',
      ].join('\n'),
    )
  })

  it('says so when only the times differ', () => {
    const shifted = A.map((l, i) => (i === 3 ? {...l, t: l.t + 1} : l))
    const text = diffLogs({label: 'a', result: result('a', []), log: A}, {label: 'b', result: result('b', []), log: shifted})
    expect(text.split('\n')[0]).toBe('no divergence: the same 4 events in the same order')
    expect(text).toContain('only the times differ, from event 4 (1.010000 ms)')
    expect(text).not.toContain('@@')
  })
})

describe('bounded line diffs', () => {
  it('cuts a long difference at the window and says where', () => {
    const a = Array.from({length: 5000}, (_, i) => `a${i}`)
    const b = Array.from({length: 5000}, (_, i) => `b${i}`)
    const started = performance.now()
    const d = diffLineLists(['same', ...a, 'end'], ['same', ...b, 'end'], {window: 100})
    expect(performance.now() - started).toBeLessThan(2000)
    expect(d.cut).toEqual({old: 101, new: 101})
    expect(d.hunks).toHaveLength(1)
    expect(d.hunks[0].oldStart).toBe(1)
    expect(d.hunks[0].lines[0]).toBe(' same')
  })

  it('numbers hunks in the full texts, around the common prefix and suffix', () => {
    const a = Array.from({length: 20}, (_, i) => `line ${i}`)
    const b = a.map((l, i) => (i === 10 ? 'changed' : l))
    const d = diffLineLists(a, b)
    expect(d.cut).toBeNull()
    expect(d.hunks).toEqual([
      {oldStart: 8, oldLines: 7, newStart: 8, newLines: 7, lines: [' line 7', ' line 8', ' line 9', '-line 10', '+changed', ' line 11', ' line 12', ' line 13']},
    ])
  })

  it('unifiedDiff is empty for equal texts and a patch otherwise', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb', {oldName: 'a/x', newName: 'b/x'})).toBe('')
    expect(unifiedDiff('a\nb\n', 'a\nc\n', {oldName: 'a/x', newName: 'b/y'})).toBe('--- a/x\n+++ b/y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n')
  })
})
