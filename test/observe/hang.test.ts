import {describe, expect, it} from 'vitest'
import {TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE} from '../../src/core/task-state.ts'
import {isHung} from '../../src/observe/hang.ts'
import {taskView} from './task-view.ts'

const HUNG_TASK = 120_000_000_000

/** A task asleep uninterruptibly in `on` since t = 1000. */
const asleep = (on: string, state = TASK_UNINTERRUPTIBLE) =>
  taskView('t', {where: 'blocked', state, blockedOn: on, blockedSince: 1000})

describe('the hang detector', () => {
  it('calls an uninterruptible sleeper hung when the run went idle, however short the sleep', () => {
    expect(isHung(asleep('kthread_stop'), 2000, HUNG_TASK, 'idle')).toBe(true)
  })

  it('waits for the hung-task threshold when the run reached its horizon', () => {
    expect(isHung(asleep('kthread_stop'), 1000 + HUNG_TASK - 1, HUNG_TASK, 'horizon')).toBe(false)
    expect(isHung(asleep('kthread_stop'), 1000 + HUNG_TASK, HUNG_TASK, 'horizon')).toBe(true)
  })

  it('never calls an interruptible sleeper hung', () => {
    expect(isHung(asleep('wait_for_completion', TASK_INTERRUPTIBLE), 2000, HUNG_TASK, 'idle')).toBe(false)
  })

  it('never calls a timed sleep or a thread not yet woken after creation hung', () => {
    expect(isHung(asleep('sleep'), 2000, HUNG_TASK, 'idle')).toBe(false)
    expect(isHung(asleep('created'), 2000, HUNG_TASK, 'idle')).toBe(false)
  })

  it('never calls a task that is not blocked hung', () => {
    const t = taskView('t', {where: 'queued', state: TASK_UNINTERRUPTIBLE, blockedOn: 'x', blockedSince: 1000})
    expect(isHung(t, 2000, HUNG_TASK, 'idle')).toBe(false)
  })
})
