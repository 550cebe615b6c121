import {describe, expect, it} from 'vitest'
import {renderLog} from '../../src/render/log-text.ts'

describe('the event log', () => {
  it('draws a finding as the event of the access that raced, at its time, CPU and task', () => {
    const log = [
      {t: 0, cpu: 1, task: 'getter/1', what: 'switch in'},
      {t: 5015, cpu: 1, task: 'getter/1', what: 'module_put(dummy)'},
      {t: 6520, cpu: 1, task: 'getter/1', what: 'exit'},
    ]
    const findings = [{kind: 'use-after-free' as const, at: 6017, cpu: 1, task: 'getter/1', detail: 'getter/1 read state of module dummy after it was freed'}]
    expect(renderLog(log, findings).split('\n')).toEqual([
      '           0 ns  cpu1   getter/1         switch in',
      '       5.015 µs  cpu1   getter/1         module_put(dummy)',
      '       6.017 µs  cpu1   getter/1         !! use-after-free: read state of module dummy after it was freed',
      '       6.520 µs  cpu1   getter/1         exit',
      '',
    ])
  })
})
