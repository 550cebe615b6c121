import {describe, expect, it} from 'vitest'
import {renderLanes} from '../../src/render/lanes.ts'

describe('per-CPU lanes', () => {
  it('puts each CPU in its column, shares rows between CPUs at one instant, and marks findings', () => {
    const log = [
      {t: 0, cpu: 0, task: 'getter', what: 'switch in'},
      {t: 0, cpu: 1, task: 'rmmod', what: 'switch in'},
      {t: 3000, cpu: 0, task: 'getter', what: 'try_module_get(dummy) = 1'},
      {t: 3000, cpu: 1, task: 'rmmod', what: 'free_module(dummy)'},
      {t: 3500, cpu: 0, task: 'irq/nic', what: 'irq entry'},
    ]
    const findings = [{kind: 'use-after-free' as const, at: 3200, cpu: 0, task: 'getter', detail: 'getter executed code of module dummy after it was freed'}]
    expect(renderLanes(log, findings, {cpus: 2, width: 60})).toBe(
      [
        '            time │ cpu0               │ cpu1',
        '─────────────────┼────────────────────┼────────────────────',
        '            0 ns │ ▶ getter           │ ▶ rmmod',
        '        3.000 µs │ try_module_get(du… │ free_module(dummy)',
        '        3.200 µs │ !! use-after-free…',
        '        3.200 µs │ !! use-after-free (cpu0 getter): getter executed code of module dummy after it was freed',
        '        3.500 µs │ irq/nic: irq entry',
        '',
      ].join('\n'),
    )
  })

  it('shows the rows leading up to the first finding of a long run', () => {
    const log = Array.from({length: 500}, (_, i) => ({t: i * 10, cpu: i % 2, task: 't', what: `step ${i}`}))
    const out = renderLanes(log, [{kind: 'hang', at: 4000, cpu: null, task: 't', detail: 'x'}], {cpus: 2, before: 5, after: 2})
    expect(out).toContain('… 396 earlier rows')
    expect(out).toContain('!! hang (t): x')
    expect(out).toContain('later rows')
    expect(out.split('\n').length).toBeLessThan(20)
  })
})
