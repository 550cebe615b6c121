import {describe, expect, it} from 'vitest'
import {parseDuration} from '../../src/scenario/duration.ts'
import {irqProgram, taskProgram, traceDuration} from '../../src/import/trace-programs.ts'

describe('traceDuration', () => {
  it('writes nanoseconds exactly, in a unit that reads back', () => {
    for (const ns of [0, 7, 999, 1000, 12_345, 999_999, 1_500_000, 2_991_000, 1_234_567_891]) expect(parseDuration(traceDuration(ns))).toBe(ns)
    expect([traceDuration(750), traceDuration(12_345), traceDuration(1_500_000)]).toEqual(['750ns', '12.345us', '1.5ms'])
  })
})

describe('taskProgram', () => {
  it('folds runs and sleeps into mean cycles', () => {
    expect(taskProgram({runNs: 300_000, sleeps: 3, sleepNs: 600_000, unscheduledSpanNs: null}, 'm', undefined)).toEqual([{repeat: 3, do: [{spin: '100us'}, {sleep: '200us'}]}])
  })

  it('takes the mean hold of the references a task released itself out of its run', () => {
    const program = taskProgram({runNs: 200_000, sleeps: 2, sleepNs: 100_000, unscheduledSpanNs: null}, 'm', {holds: 2, holdNs: 40_000, handed: 0})
    expect(program).toEqual([{repeat: 2, do: [{get: 'm'}, {call: 'm', for: '20us'}, {put: 'm'}, {spin: '80us'}, {sleep: '50us'}]}])
  })

  it('holds a handed-off reference across the sleep, and spreads rare references over groups of cycles', () => {
    expect(taskProgram({runNs: 40_000, sleeps: 2, sleepNs: 20_000, unscheduledSpanNs: null}, 'm', {holds: 0, holdNs: 0, handed: 2})).toEqual([
      {repeat: 2, do: [{get: 'm'}, {spin: '20us'}, {sleep: '10us'}, {put: 'm'}]},
    ])
    expect(taskProgram({runNs: 40_000, sleeps: 4, sleepNs: 40_000, unscheduledSpanNs: null}, 'm', {holds: 2, holdNs: 2_000, handed: 0})).toEqual([
      {repeat: 2, do: [{get: 'm'}, {call: 'm', for: '1us'}, {put: 'm'}, {repeat: 2, do: [{spin: '9.5us'}, {sleep: '10us'}]}]},
    ])
  })

  it('spaces the references of a task no scheduler event showed by the mean gap', () => {
    expect(taskProgram({runNs: 0, sleeps: 0, sleepNs: 0, unscheduledSpanNs: 100_000}, 'm', {holds: 4, holdNs: 20_000, handed: 0})).toEqual([
      {repeat: 4, do: [{get: 'm'}, {call: 'm', for: '5us'}, {put: 'm'}, {sleep: '20us'}]},
    ])
  })
})

describe('irqProgram', () => {
  it('is the mean references per handler run, at least one when it took any', () => {
    expect(irqProgram(10, 'm', {holds: 3, holdNs: 3_000, handed: 0})).toEqual([{get: 'm'}, {call: 'm', for: '1us'}, {put: 'm'}])
    expect(irqProgram(10, 'm', undefined)).toEqual([])
  })
})
