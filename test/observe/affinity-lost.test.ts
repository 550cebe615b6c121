import {describe, expect, it} from 'vitest'
import {affinityLost} from '../../src/observe/affinity-lost.ts'
import {taskView} from './task-view.ts'

const SPEC = {latency_budget: null}

describe('the affinity-lost detector', () => {
  it('reports a trace task left on other CPUs than it was last given', () => {
    const t = taskView('worker', {spec: SPEC, allowed: [1], lastSetAffinity: [2, 3]})
    expect(affinityLost(t)).toBe('worker ended with cpus_allowed 1, last set to 2,3')
  })

  it('compares as sets: order does not matter, a missing CPU does', () => {
    expect(affinityLost(taskView('w', {spec: SPEC, allowed: [3, 2], lastSetAffinity: [2, 3]}))).toBeNull()
    expect(affinityLost(taskView('w', {spec: SPEC, allowed: [2], lastSetAffinity: [2, 3]}))).toBe(
      'w ended with cpus_allowed 2, last set to 2,3',
    )
  })

  it('ignores kernel threads (no trace entry, no affinity a user set)', () => {
    expect(affinityLost(taskView('kstop/0', {allowed: [0], lastSetAffinity: null}))).toBeNull()
    expect(affinityLost(taskView('kstop/0', {allowed: [0], lastSetAffinity: [1]}))).toBeNull()
  })
})
