import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {loadVariant} from '../../src/variants/registry.ts'

// Found by the fuzzing campaign (npm run fuzz, seed 12) and shrunk: t0/1's insmod runs
// init's kthread_run, and kthread_stop(k0) from t0/0's rmmod wakes k0 while kthreadd is
// still forking it. The fork then put k0 to sleep while it sat in a run queue, and
// kthread_run's wakeup queued it a second time: the exited thread was run again.
const TRACE = `kreplay: 1
name: fuzz
seed: 34
horizon: 480us
machine:
  cpus: 2
  jitter: 5.276584369e-314
modules:
- name: m0
  loaded: false
  refs: 2
  init:
  - kthread_run:
      name: k0
      program: []
  exit:
  - kthread_stop: k0
tasks:
- name: t0
  count: 2
  cpus: '0'
  policy: fifo
  priority: 46
  start: 5us
  program:
  - kill:
      task: t1/0
      signal: USR2
  - insmod: m0
  - stop_machine:
      for: 0.1ms
  - rmmod: m0
    wait: true
- name: t1
  count: 1
  spread: true
  policy: fifo
  priority: 2
  latency_budget: 28us
  program:
  - setaffinity:
      task: t0/0
      cpus: '1'
  - spin: 46274ns
irqs: []

`

describe('kthread_stop on a thread still being forked', () => {
  it('wakes it once: it runs, sees the stop flag, exits once, and kthread_stop returns', async () => {
    const out = runScenario(parseTrace(TRACE, 'kthread-stop-while-forked.yaml'), await loadVariant('stopref'), {log: true})
    const k0 = out.log.filter((l) => l.task === 'k0').map((l) => l.what)
    expect(k0.filter((w) => w === 'exit')).toHaveLength(1)
    expect(k0.filter((w) => w === 'switch in')).toHaveLength(1)
    expect(out.result.ended).toBe('idle')
  })
})
