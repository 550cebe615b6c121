import {describe, expect, it} from 'vitest'
import {DEFAULT_COSTS, DEFAULT_STALL_THRESHOLD, DEFAULT_WATCHDOG} from '../../src/core/costs.ts'
import {parseTrace} from '../../src/scenario/load.ts'

const TRACE = `
kreplay: 1
name: isolated-rt-hog
source: "LKML 2008-02-13"
horizon: 2s
machine:
  cpus: 8
  isolated: "7"
  costs: {ipi: 3us}
modules:
  - name: dummy
    init:
      - kthread_run:
          name: worker
          program:
            - allow_signal: KILL
            - repeat: forever
              until: should_stop
              do: [{spin: 10us}, {call: dummy, for: 5us}]
tasks:
  - name: io
    count: 3
    cpus: "0-1"
    spread: true
    program:
      - use: dummy
        for: 20us
  - name: hog
    policy: fifo
    priority: 50
    cpus: 7
    latency_budget: 1ms
    program: [{spin: 1s}, {yield: true}, {setaffinity: {task: io/1, cpus: "0-1"}}, {kill: {task: worker, signal: TERM}}]
  - name: rm
    start: 1ms
    program: [{rmmod: dummy, wait: true}, {stop_machine: {for: 5ms}}, {mark: tick}, {kthread_stop: worker}, {repeat: 2, do: [{insmod: dummy}]}]
irqs:
  - name: nic
    at: [1ms, 2ms]
expect:
  default: {findings: []}
  stop-machine: {findings: [machine-stall], by: explore, metrics: {rt_latency_max: "> 1ms", gets_ok: "== 3"}}
`

describe('parseTrace', () => {
  const scenario = parseTrace(TRACE, 'fixture.yaml')

  it('fills the top-level defaults', () => {
    expect(scenario).toMatchObject({kreplay: 1, name: 'isolated-rt-hog', title: 'isolated-rt-hog', seed: 1, file: 'fixture.yaml'})
    expect(scenario.source).toEqual(['LKML 2008-02-13'])
    expect(scenario.horizon).toBe(2_000_000_000)
  })

  it('fills the machine defaults and merges cost overrides', () => {
    expect(scenario.machine).toEqual({
      cpus: 8,
      isolated: [7],
      costs: {...DEFAULT_COSTS, ipi: 3_000},
      jitter: 0,
      watchdog: DEFAULT_WATCHDOG,
      stall_threshold: DEFAULT_STALL_THRESHOLD,
      hung_task: null,
      sched: null,
    })
  })

  it('converts ops, nested ones included', () => {
    expect(scenario.modules).toEqual([
      {
        name: 'dummy',
        loaded: true,
        refs: 0,
        init: [
          {
            op: 'kthread_run',
            name: 'worker',
            program: [
              {op: 'allow_signal', signal: 'KILL'},
              {
                op: 'repeat',
                count: Infinity,
                body: [
                  {op: 'spin', ns: 10_000},
                  {op: 'call', module: 'dummy', ns: 5_000},
                ],
                until: ['should_stop'],
              },
            ],
          },
        ],
        exit: [],
      },
    ])
    expect(scenario.tasks.find((t) => t.name === 'rm')?.program).toEqual([
      {op: 'rmmod', module: 'dummy', wait: true, force: false},
      {op: 'stop_machine', ns: 5_000_000},
      {op: 'mark', label: 'tick'},
      {op: 'kthread_stop', name: 'worker'},
      {op: 'repeat', count: 2, body: [{op: 'insmod', module: 'dummy'}], until: []},
    ])
  })

  it('expands counted tasks into instances, spread over their CPUs', () => {
    expect(scenario.tasks.map((t) => [t.name, t.cpus])).toEqual([
      ['io/0', [0]],
      ['io/1', [1]],
      ['io/2', [0]],
      ['hog', [7]],
      ['rm', [0, 1, 2, 3, 4, 5, 6]],
    ])
    expect(scenario.tasks[0]).toEqual({
      name: 'io/0',
      cpus: [0],
      policy: 'normal',
      priority: 0,
      start: 0,
      program: [{op: 'use', module: 'dummy', ns: 20_000}],
      latency_budget: null,
    })
    expect(scenario.tasks[3]).toMatchObject({policy: 'fifo', priority: 50, latency_budget: 1_000_000})
    expect(scenario.tasks[4].start).toBe(1_000_000)
  })

  it('fills irq defaults', () => {
    expect(scenario.irqs).toEqual([{name: 'nic', cpus: [0, 1, 2, 3, 4, 5, 6], every: null, at: [1_000_000, 2_000_000], cost: 1_000, program: []}])
  })

  it('reads expectations', () => {
    expect(scenario.expect).toEqual({
      default: {findings: [], by: 'run', metrics: {}},
      'stop-machine': {
        findings: ['machine-stall'],
        by: 'explore',
        metrics: {rt_latency_max: {op: '>', value: 1_000_000, text: '> 1ms'}, gets_ok: {op: '==', value: 3, text: '== 3'}},
      },
    })
  })

  it('is deeply frozen', () => {
    expect(Object.isFrozen(scenario)).toBe(true)
    expect(Object.isFrozen(scenario.machine.costs)).toBe(true)
    expect(Object.isFrozen(scenario.tasks[0].program[0])).toBe(true)
    expect(Object.isFrozen(scenario.expect['stop-machine'].metrics.rt_latency_max)).toBe(true)
    expect(() => {
      ;(scenario.tasks as unknown as unknown[]).push({})
    }).toThrow(TypeError)
  })

  it('reads the same trace written as JSON', () => {
    const json = JSON.stringify({kreplay: 1, name: 'j', horizon: '1ms', machine: {cpus: 2}, tasks: [{name: 'a', program: [{sleep: '5us'}]}]})
    const fromJson = parseTrace(json, 'fixture.json')
    expect(fromJson.tasks).toEqual([
      {name: 'a', cpus: [0, 1], policy: 'normal', priority: 0, start: 0, program: [{op: 'sleep', ns: 5_000}], latency_budget: null},
    ])
    expect(fromJson.machine.hung_task).toBe(null)
  })
})
