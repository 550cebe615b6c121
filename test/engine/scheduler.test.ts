import {describe, expect, it} from 'vitest'
import sm from '../../variants/stop-machine.ts'
import {defineVariant} from '../../src/engine/variant.ts'
import {events, runInline} from '../helpers/run-inline.ts'

const header = (cpus: number, extra = '') => `kreplay: 1
name: t
horizon: 50ms
machine: {cpus: ${cpus}${extra}}
modules: [{name: m}]
`

describe('scheduler rules, as exact event sequences', () => {
  it('a SCHED_FIFO task does not preempt one of equal priority', async () => {
    const out = await runInline(header(1) + `tasks:
  - {name: a, policy: fifo, priority: 50, program: [{spin: 1ms}]}
  - {name: b, policy: fifo, priority: 50, start: 100us, program: [{spin: 100us}]}
`)
    expect(events(out, ['a', 'b'])).toEqual([
      '0 cpu0 a wakeup on cpu0',
      '0 cpu0 a switch in',
      '100000 cpu0 b wakeup on cpu0',
      '1003000 cpu0 a exit',
      '1003000 cpu0 b switch in',
      '1106000 cpu0 b exit',
    ])
  })

  it('a higher SCHED_FIFO priority preempts mid-step once the IPI lands', async () => {
    const out = await runInline(header(2) + `tasks:
  - {name: a, cpus: "1", policy: fifo, priority: 50, program: [{spin: 1ms}]}
  - {name: b, cpus: "1", policy: fifo, priority: 60, start: 100us, program: [{spin: 100us}]}
`)
    expect(events(out, ['a', 'b'])).toEqual([
      '0 cpu1 a wakeup on cpu1',
      '0 cpu1 a switch in',
      '100000 cpu1 b wakeup on cpu1',
      '100000 cpu1 a preempted',
      '100000 cpu1 b switch in',
      '203000 cpu1 b exit',
      '203000 cpu1 a switch in',
      '1109000 cpu1 a exit',
    ])
  })

  it('the stop class preempts SCHED_FIFO 99', async () => {
    const out = await runInline(header(2) + `tasks:
  - {name: hog, cpus: "1", policy: fifo, priority: 99, program: [{spin: 10ms}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: m}]}
`)
    const seq = events(out, ['hog', 'stopper/1']).filter((l) => !l.includes('sleep (cpu_stop'))
    expect(seq.slice(0, 5)).toEqual([
      '0 cpu1 hog wakeup on cpu1',
      '0 cpu1 hog switch in',
      '1003748 cpu0 stopper/1 wakeup on cpu1',
      '1005748 cpu1 hog preempted',
      '1005748 cpu1 stopper/1 switch in',
    ])
    expect(out.result.metrics.rt_latency_max).toBeGreaterThan(0)
    expect(out.result.findings).toEqual([])
  })

  it('an interrupt raised while interrupts are off stays pending until they are enabled, and the delay is measured', async () => {
    const out = await runInline(header(2) + `tasks:
  - {name: freezer, cpus: "0", program: [{stop_machine: {for: 1ms}}]}
irqs:
  - {name: nic, cpus: "1", at: [500us], cost: 1us}
`)
    const seq = events(out).filter((l) => l.includes('irq'))
    expect(seq).toHaveLength(4)
    expect(seq[0]).toBe('500000 cpu1 - irq nic pending (interrupts off)')
    const delivered = /^(\d+) cpu1 - irq nic delivered (\d+) ns late$/.exec(seq[1])
    expect(delivered).not.toBeNull()
    expect(Number(delivered![2])).toBeGreaterThan(500_000)
    expect(Number(delivered![1]) - 500_000).toBe(Number(delivered![2]))
    expect(seq[2]).toMatch(/cpu1 irq\/nic irq entry$/)
    expect(seq[3]).toMatch(/cpu1 irq\/nic irq exit$/)
  })

  it('sched_setaffinity from another task migrates a running task through the migration thread', async () => {
    const out = await runInline(header(2) + `tasks:
  - {name: a, cpus: "0-1", program: [{spin: 2ms}]}
  - {name: b, cpus: "1", start: 100us, program: [{setaffinity: {task: a, cpus: "1"}}]}
`, 'stop-machine')
    expect(events(out, ['a', 'b', 'migration/0'])).toEqual([
      '0 cpu0 a wakeup on cpu0',
      '0 cpu0 a switch in',
      '100000 cpu1 b wakeup on cpu1',
      '100000 cpu1 b switch in',
      '103200 cpu1 b sched_setaffinity(a, 1)',
      '103201 cpu1 migration/0 wakeup on cpu0',
      '103701 cpu1 b sleep (migration)',
      '105201 cpu0 a preempted',
      '105201 cpu0 migration/0 switch in',
      '108201 cpu0 a migrate to cpu1',
      '108202 cpu0 b wakeup on cpu1',
      '108703 cpu0 migration/0 sleep (migration queue empty)',
      // CFS: b, woken from its short sleep, has the smaller vruntime; a has run 105 µs.
      '110201 cpu1 b switch in',
      '113201 cpu1 b exit',
      '113201 cpu1 a switch in',
      '2014000 cpu1 a exit',
    ])
    expect(out.result.findings).toEqual([])
  })

  it('kthread_stop blocks until the thread exits; SIGKILL to a kthread is ignored', async () => {
    const out = await runInline(header(1).replace('modules: [{name: m}]\n', '') + `modules:
  - name: m
    init:
      - kthread_run:
          name: worker
          program:
            - repeat: forever
              until: should_stop
              do: [{sleep: 1ms}]
    exit: [{kthread_stop: worker}]
tasks:
  - {name: killer, start: 2ms, program: [{kill: {task: worker, signal: KILL}}]}
  - {name: rmmod, start: 3ms, program: [{rmmod: m}]}
`)
    const seq = events(out, ['worker', 'rmmod', 'killer']).filter((l) => !/wakeup|switch in|preempted/.test(l))
    expect(seq).toContain('2003200 cpu0 killer KILL to worker ignored (kernel thread)')
    const tail = seq.slice(seq.findIndex((l) => l.includes('kthread_stop(worker)')))
    expect(tail.map((l) => l.split(' ').slice(2).join(' '))).toEqual([
      'rmmod kthread_stop(worker)',
      // CFS: the woken worker, long asleep, preempts rmmod; its ssleep() is not over, so it sleeps again
      'worker sleep (sleep)',
      'rmmod sleep (kthread_stop)',
      'worker exit',
      'rmmod free_module(m)',
      'rmmod delete_module(m) = 0',
      'rmmod exit',
    ])
    expect(out.result.findings).toEqual([])
  })

  it('SCHED_RR tasks of equal priority take turns every 100 ms timeslice', async () => {
    const out = await runInline(header(2, '').replace('horizon: 50ms', 'horizon: 1s') + `tasks:
  - {name: a, cpus: "1", policy: rr, priority: 10, program: [{spin: 250ms}]}
  - {name: b, cpus: "1", policy: rr, priority: 10, program: [{spin: 250ms}]}
`)
    const turns = events(out, ['a', 'b']).filter((l) => / (switch in|preempted|exit)$/.test(l))
    expect(turns).toEqual([
      '0 cpu1 b switch in',
      '100000000 cpu1 b preempted',
      '100000000 cpu1 a switch in',
      '200000000 cpu1 a preempted',
      '200000000 cpu1 b switch in',
      '300000000 cpu1 b preempted',
      '300000000 cpu1 a switch in',
      '400000000 cpu1 a preempted',
      '400000000 cpu1 b switch in',
      '450009000 cpu1 b exit',
      '450009000 cpu1 a switch in',
      '500018000 cpu1 a exit',
    ])
  })

  it('a wakeup that should preempt waits while the CPU has preemption disabled', async () => {
    // A removal that holds preemption off on its CPU for 1 ms, busy-waiting.
    const holder = defineVariant({
      ...sm,
      meta: {...sm.meta, id: 'holder'},
      *deleteModule(k) {
        yield* k.preemptDisable()
        yield* k.mdelay(1_000_000)
        yield* k.preemptEnable()
        return 0
      },
    })
    const out = await runInline(header(2) + `tasks:
  - {name: rmmod, cpus: "0", program: [{rmmod: m}]}
  - {name: rt, cpus: "0", policy: fifo, priority: 50, start: 500us, program: [{spin: 10us}]}
`, holder)
    const seq = events(out, ['rmmod', 'rt'])
    expect(seq).toContain('500000 cpu0 rt wakeup on cpu0')
    const preempted = seq.find((l) => l.endsWith('rmmod preempted'))!
    const at = Number(preempted.split(' ')[0])
    // Not at the wakeup, but at the first step boundary after preempt_enable.
    expect(at).toBeGreaterThan(1_000_000)
    expect(at).toBeLessThan(1_010_000)
    expect(seq[seq.indexOf(preempted) + 1]).toBe(`${at} cpu0 rt switch in`)
    expect(out.result.metrics.rt_latency_max).toBeGreaterThan(500_000)
  })
})
