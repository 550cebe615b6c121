import {afterEach, describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {enterWatched, leaveWatched, newPulse, pulseOf, watchedSection, watchProgress} from '../../src/engine/heartbeat.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {atomic, MICRO_TRACE} from '../fixtures/micro-refcount.ts'

// Test files share a worker's modules: every test here leaves this thread unwatched.
afterEach(() => {
  watchProgress(null)
})

describe('the pulse a watchdog reads', () => {
  it('is busy while a watched section is under way, and beats when it ends, whether it returned or threw', async () => {
    const pulse = newPulse()
    watchProgress(pulse)
    expect(pulseOf(pulse)).toEqual({beats: 0, busy: false})
    enterWatched()
    expect(pulseOf(pulse)).toEqual({beats: 0, busy: true})
    leaveWatched()
    expect(pulseOf(pulse)).toEqual({beats: 1, busy: false})
    let inside = false
    await expect(
      watchedSection(() => {
        inside = pulseOf(pulse).busy
        return Promise.reject(new Error('a file that does not load'))
      }),
    ).rejects.toThrow('a file that does not load')
    expect(inside).toBe(true)
    expect(pulseOf(pulse)).toEqual({beats: 2, busy: false})
  })

  it('is busy during a run, not after it, and counts its beats', () => {
    const pulse = newPulse()
    watchProgress(pulse)
    let during = false
    const {result} = runScenario(parseTrace(MICRO_TRACE, 'micro.yaml'), atomic, {
      choices: {
        pick: () => {
          during = pulseOf(pulse).busy
          return 0
        },
      },
    })
    expect(result.ended).not.toBe('step-budget')
    expect(during).toBe(true)
    expect(pulseOf(pulse)).toEqual({beats: 1, busy: false})
  })

  it('is inert in a thread nobody watches', () => {
    const pulse = newPulse()
    enterWatched()
    leaveWatched()
    expect(pulseOf(pulse)).toEqual({beats: 0, busy: false})
  })
})
