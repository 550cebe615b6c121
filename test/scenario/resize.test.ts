import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/core/input-error.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {parseSizeList, resizeScenario} from '../../src/scenario/resize.ts'

const TRACE = `
kreplay: 1
name: t
title: a tiny machine
horizon: 10ms
machine:
  cpus: 4
  isolated: "3"
modules:
  - name: m
tasks:
  - name: io
    count: 3
    spread: true
    program:
      - use: m
        for: 1us
  - name: pinned
    cpus: "1-2"
    program:
      - setaffinity: {task: io/0, cpus: "0-2"}
      - setaffinity: {task: hog, cpus: "2-3"}
  - name: hog
    cpus: "3"
    policy: fifo
    priority: 99
    program: [{spin: 1ms}]
  - name: anywhere
    cpus: all
    program: [{rmmod: m}]
irqs:
  - name: nic
    cpus: "0-3"
    every: 100us
    cost: 1us
`

const scenario = parseTrace(TRACE, 't.yaml')
const cpusOf = (s: ReturnType<typeof resizeScenario>, task: string) => s.tasks.find((t) => t.name === task)?.cpus

describe('resizeScenario', () => {
  it('renames the scenario, notes the resize in the title, and leaves the input alone', () => {
    const big = resizeScenario(scenario, 8)
    expect(big.name).toBe('t@8cpus')
    expect(big.title).toBe('a tiny machine [resized from 4 to 8 CPUs]')
    expect(resizeScenario(scenario, 4).title).toBe('a tiny machine')
    expect(big.machine.cpus).toBe(8)
    expect(scenario.machine.cpus).toBe(4)
    expect(scenario.name).toBe('t')
    expect(Object.isFrozen(big)).toBe(true)
    expect(Object.isFrozen(big.tasks[3])).toBe(true)
    expect(Object.isFrozen(big.tasks[3].cpus)).toBe(true)
    expect(Object.isFrozen(big.irqs[0].cpus)).toBe(true)
  })

  it('regenerates tasks spread over every housekeeping CPU, one per CPU of the new machine', () => {
    const big = resizeScenario(scenario, 8)
    const io = big.tasks.filter((t) => t.name.startsWith('io/'))
    // Housekeeping of 8 CPUs with CPU 3 isolated: 0-2, 4-7.
    expect(io.map((t) => [t.name, t.cpus])).toEqual([
      ['io/0', [0]],
      ['io/1', [1]],
      ['io/2', [2]],
      ['io/3', [4]],
      ['io/4', [5]],
      ['io/5', [6]],
      ['io/6', [7]],
    ])
    expect(io.every((t) => t.program === scenario.tasks[0].program)).toBe(true)
  })

  it('maps the all-CPU set to all CPUs, the housekeeping set to housekeeping, and wraps other sets', () => {
    const big = resizeScenario(scenario, 8)
    expect(big.machine.isolated).toEqual([3])
    expect(cpusOf(big, 'anywhere')).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(cpusOf(big, 'pinned')).toEqual([1, 2])
    expect(cpusOf(big, 'hog')).toEqual([3])
    expect(big.irqs[0].cpus).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const program = big.tasks.find((t) => t.name === 'pinned')?.program
    // "0-2" is the old housekeeping set; "2-3" is neither, so it keeps its CPUs.
    expect(program).toEqual([
      {op: 'setaffinity', task: 'io/0', cpus: [0, 1, 2, 4, 5, 6, 7]},
      {op: 'setaffinity', task: 'hog', cpus: [2, 3]},
    ])
  })

  it('wraps CPU numbers modulo a smaller size, isolated CPUs included', () => {
    const small = resizeScenario(scenario, 2)
    expect(small.machine.isolated).toEqual([1])
    expect(cpusOf(small, 'hog')).toEqual([1])
    expect(cpusOf(small, 'pinned')).toEqual([0, 1])
    expect(small.tasks.filter((t) => t.name.startsWith('io/')).map((t) => [t.name, t.cpus])).toEqual([['io/0', [0]]])
    expect(cpusOf(small, 'anywhere')).toEqual([0, 1])
  })

  it('keeps counted tasks that are not spread one per CPU', () => {
    const s = parseTrace(TRACE.replace('count: 3', 'count: 2'), 't.yaml')
    const big = resizeScenario(s, 16)
    expect(big.tasks.filter((t) => t.name.startsWith('io/')).map((t) => t.cpus)).toEqual([[0], [1]])
  })

  it('refuses a size where every CPU would be isolated, or where a named instance would vanish', () => {
    expect(() => resizeScenario(scenario, 1)).toThrow(InputError)
    expect(() => resizeScenario(scenario, 1)).toThrow(/isolated CPUs 3 wrap onto every CPU/)
    const kill = parseTrace(TRACE.replace('task: io/0, cpus: "0-2"', 'task: io/2, cpus: "0-2"'), 't.yaml')
    expect(() => resizeScenario(kill, 2)).toThrow(/setaffinity names io\/2, which a machine of 2 CPUs does not have/)
    expect(() => resizeScenario(scenario, 0)).toThrow(InputError)
    expect(() => resizeScenario(scenario, 5000)).toThrow(InputError)
  })

  it('resizing to the same size only renames', () => {
    const same = resizeScenario(scenario, 4)
    expect({...same, name: 't', title: scenario.title}).toEqual(scenario)
  })
})

describe('parseSizeList', () => {
  it('parses sizes in order, without duplicates', () => {
    expect(parseSizeList('4,64,1024,4')).toEqual([4, 64, 1024])
  })
  it('names a bad entry', () => {
    expect(() => parseSizeList('4,x')).toThrow(/got "x"/)
    expect(() => parseSizeList('0')).toThrow(InputError)
    expect(() => parseSizeList('4,,8')).toThrow(/got ""/)
  })
})
