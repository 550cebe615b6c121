import {describe, expect, it} from 'vitest'
import type {ChoiceSource} from '../../src/engine/choice.ts'
import {ControlRecorder} from '../../src/engine/control-recorder.ts'
import {Cpu} from '../../src/engine/cpu.ts'
import type {Engine} from '../../src/engine/engine.ts'
import {CPU_FIELDS_STATE, MACHINE_FIELDS, MODULE_FIELDS, TASK_FIELDS} from '../../src/engine/field-roles.ts'
import {captureState} from '../../src/engine/machine-state.ts'
import {RunQueue} from '../../src/engine/run-queue.ts'
import {Task} from '../../src/engine/task.ts'
import {StateHash, StateText} from '../../src/engine/state-hash.ts'
import {runTarget, type ExploreTarget} from '../../src/explore/run-target.ts'
import {defineVariant, type Word} from '../../src/api.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import {loadVariant} from '../../src/variants/registry.ts'
import {atomic, locked, MICRO_FOREVER_TRACE, MICRO_LOOP_TRACE, MICRO_STOP_TRACE, MICRO_TRACE, naive, rcu, stop} from '../fixtures/micro-refcount.ts'

/**
 * The captured state before every step of one run (replaying `path`, 0 past it, or the
 * choices `path` makes), and after its end, through `rec`.
 */
function statesOf(
  target: ExploreTarget,
  path: readonly number[] | ((i: number, n: number) => number),
  widths: number[] = [],
  rec = new ControlRecorder(),
): {states: {state: string; picked: number}[]; end: string; used: number; picks: number[]} {
  const choose = typeof path === 'function' ? path : (i: number) => path[i] ?? 0
  const picks: number[] = []
  let engine!: Engine
  let i = 0
  const states: {state: string; picked: number}[] = []
  const capture = (): string => {
    const out = new StateText()
    captureState(engine.m, engine.k, rec, out)
    return out.items.join(' ')
  }
  const src: ChoiceSource = {
    pick: (n) => {
      widths[i] = n
      const c = choose(i++, n)
      picks.push(c)
      return c
    },
    candidates: (actors) => {
      for (const c of engine.m.cpus) {
        if (c.curr !== null) rec.track(c.curr)
        if (c.irqTask !== null) rec.track(c.irqTask)
      }
      states.push({state: `${capture()} | ${[...actors].join(',')}`, picked: i})
    },
  }
  runTarget(target, src, {
    untimed: true,
    tracer: rec,
    prepare: (e) => {
      engine = e
      rec.attach(e.m, e.k)
    },
  })
  return {states, end: capture(), used: i, picks}
}

/** Every schedule of `target`, by brute force: the distinct states captured through recorders `make` makes. */
function distinctStates(target: ExploreTarget, make: () => ControlRecorder): number {
  const seen = new Set<string>()
  const path: number[] = []
  const widths: number[] = []
  for (;;) {
    const {states, used} = statesOf(target, path, widths, make())
    for (const {state} of states) seen.add(state)
    while (path.length < used) path.push(0)
    path.length = used
    let d = used - 1
    while (d >= 0 && path[d] + 1 >= widths[d]) d--
    if (d < 0) return seen.size
    path.length = d + 1
    path[d]++
  }
}

/** A recorder that never starts a trace program's history over (as before ControlRecorder.programAt). */
class WholeHistories extends ControlRecorder {
  override programAt(): void {}
}

/** Two getters on two CPUs, each getting and putting once, then spinning; no remover. */
const TWO_GETTERS = `
kreplay: 1
name: two-getters
horizon: 1ms
machine: {cpus: 2}
modules: [{name: dummy}]
tasks:
  - {name: getter, count: 2, spread: true, cpus: "0-1", program: [{get: dummy}, {put: dummy}, {spin: 1us}]}
`

/** Two tasks that each start a kthread with a program of its own, on two CPUs. */
const TWO_KTHREADS = `
kreplay: 1
name: two-kthreads
horizon: 1ms
machine: {cpus: 2}
modules: [{name: dummy}]
tasks:
  - {name: a, cpus: "0", program: [{kthread_run: {name: ka, program: [{spin: 1us}, {get: dummy}]}}, {spin: 1us}]}
  - {name: b, cpus: "1", program: [{kthread_run: {name: kb, program: [{spin: 1us}, {spin: 1us}]}}, {spin: 1us}]}
`

describe('the state a stateful search hashes (captureState)', () => {
  it('classifies every field of a task, a CPU, a module instance and the machine', async () => {
    // A field added to one of these classes without a role would be left out of the hash
    // (TypeScript checks the declared ones; this checks what instances really carry).
    const {Task} = await import('../../src/engine/task.ts')
    const {Module} = await import('../../src/engine/module.ts')
    const t = new Task(0, 't', 'normal', 0, [0], false, null)
    const m = new Module({name: 'x'} as never, 0)
    for (const [obj, table] of [[t, TASK_FIELDS], [new Cpu(0, false), CPU_FIELDS_STATE], [m, MODULE_FIELDS]] as const) {
      expect(Object.keys(obj).filter((k) => !(k in table))).toEqual([])
    }
    let keys: string[] = []
    runTarget({scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: naive}, {pick: () => 0}, {untimed: true, prepare: (e) => (keys = Object.keys(e.m))})
    expect(keys.filter((k) => !(k in MACHINE_FIELDS))).toEqual([])
  })

  it('writes exactly the state fields of every task, CPU and module instance, each read by name', () => {
    // captureState reads each class's fields by name, not from the tables: a field given the
    // role 'state' and not written, or written without it, fails here.
    const reads = new Map<object, Set<string>>()
    const watch = <T extends object>(o: T, table: object): T => {
      let keys = reads.get(table)
      if (keys === undefined) reads.set(table, (keys = new Set()))
      const seen = keys
      return new Proxy(o, {get: (target, key) => (typeof key === 'string' && seen.add(key), Reflect.get(target, key, target) as unknown)})
    }
    const rec = new ControlRecorder()
    let engine!: Engine
    const src: ChoiceSource = {
      pick: () => 0,
      candidates: () => {
        const m = engine.m
        const watched = new Proxy(m, {
          get: (target, key) => {
            if (key === 'tasks') return target.tasks.map((t) => watch(t, TASK_FIELDS))
            if (key === 'cpus') return target.cpus.map((c) => watch(c, CPU_FIELDS_STATE))
            if (key === 'modules') return new Map([...target.modules].map(([n, mod]) => [n, watch(mod, MODULE_FIELDS)]))
            return Reflect.get(target, key, target) as unknown
          },
        })
        captureState(watched, engine.k, rec, new StateText())
      },
    }
    runTarget({scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: naive}, src, {untimed: true, tracer: rec, prepare: (e) => {
      engine = e
      rec.attach(e.m, e.k)
    }})
    // Besides its state: a task's id and generator, a handler's name, an instance's name and
    // number, and the counters that tell live queued events from superseded ones.
    const besides = new Set(['id', 'gen', 'name', 'instance', 'stepGen', 'ipiGen'])
    // A CPU's run queue is written as its four lists.
    expect(Object.keys(new RunQueue())).toEqual(['rt', 'active', 'expiredArr', 'idle'])
    for (const table of [TASK_FIELDS, CPU_FIELDS_STATE, MODULE_FIELDS]) {
      const state = Object.keys(table).filter((f) => (table as Record<string, string>)[f] === 'state').sort()
      const read = [...(reads.get(table) ?? [])].filter((f) => !besides.has(f)).sort()
      expect(read).toEqual(state)
    }
  })

  it('fixes the future: every path through the same state with the same choices ends in the same state', () => {
    // Brute force over every schedule of the micro traces: the state before a step plus
    // the choices from there must determine the end state. A field that decides what
    // happens but is missing from the capture shows up as two ends for one key. micro-rcu's
    // polls are not recorded (ControlRecorder's quiet waits): this is what makes that sound.
    // micro-loop's getter is a trace program whose history starts over at each op
    // (ControlRecorder.programAt): its position, the op and the round, must be all it keeps.
    // micro-locked's mutex_lock may sleep or not, which its caller forgets once it returns
    // (ControlRecorder.returned); one get against the remover keeps its enumeration short.
    for (const [trace, variant] of [[MICRO_TRACE, naive], [MICRO_TRACE, atomic], [MICRO_TRACE, rcu], [MICRO_STOP_TRACE, locked], [MICRO_LOOP_TRACE, naive], [MICRO_LOOP_TRACE, atomic]] as const) {
      const target = {scenario: parseTrace(trace, 'micro.yaml'), variant}
      const ends = new Map<string, string>()
      const path: number[] = []
      const widths: number[] = []
      let conflicts = 0
      let runs = 0
      for (;;) {
        const {states, end, used} = statesOf(target, path, widths)
        runs++
        while (path.length < used) path.push(0)
        path.length = used
        for (const {state, picked} of states) {
          const key = `${state} | ${path.slice(picked).join(',')}`
          const seen = ends.get(key)
          if (seen === undefined) ends.set(key, end)
          else if (seen !== end) conflicts++
        }
        let d = used - 1
        while (d >= 0 && path[d] + 1 >= widths[d]) d--
        if (d < 0) break
        path.length = d + 1
        path[d]++
      }
      expect(runs).toBeGreaterThan(400)
      expect(conflicts).toBe(0)
    }
  })

  it('keeps a trace program\'s position, op and round, in its history: no state of a run comes back, unless it repeats forever', () => {
    // micro-loop's getter gets and puts twice, and its history starts over at each op
    // (ControlRecorder.programAt). Each round leaves the machine as the one before did, so
    // only the round number in the history tells two rounds apart: without it a run would
    // pass through one state twice, and a search would take the second round for the first.
    for (const variant of [naive, atomic]) {
      for (const path of [[], [1], [0, 0, 1], [1, 1, 1, 1, 1]]) {
        const {states} = statesOf({scenario: parseTrace(MICRO_LOOP_TRACE, 'micro.yaml'), variant}, path, [])
        expect(states.length).toBeGreaterThan(4)
        expect(new Set(states.map((s) => s.state)).size).toBe(states.length)
      }
      // A repeat: forever compares its rounds with nothing, so they are left out, and a
      // round that leaves the machine as it found it comes back to the same state.
      const {states} = statesOf({scenario: parseTrace(MICRO_FOREVER_TRACE, 'micro.yaml'), variant, stepBudget: 400}, [])
      expect(new Set(states.map((s) => s.state)).size).toBeLessThan(states.length)
    }
  })

  it('starts a trace program\'s history over at each op: getters that got in either order meet in one state', () => {
    // What a getter saw inside its put (the count atomic_dec_if_positive left, as 3.19's
    // module_put: which of the two put first) is forgotten once the put is done, so there
    // are fewer distinct states than with whole histories.
    const decIfPositive = defineVariant<Word>({
      ...atomic,
      meta: {...atomic.meta, id: 'micro-dec-if-positive'},
      *modulePut(k, mod) {
        yield* k.atomicDecIfPositive(mod.priv)
      },
    })
    for (const variant of [decIfPositive]) {
      const target = {scenario: parseTrace(TWO_GETTERS, 'two.yaml'), variant}
      const op = distinctStates(target, () => new ControlRecorder())
      const whole = distinctStates(target, () => new WholeHistories())
      expect(op).toBeGreaterThan(10)
      expect(op).toBeLessThan(whole)
    }
  })

  it('names the code of a thread made at run time: two made in either order are not taken for each other', () => {
    // a's and b's kthreads get their ids in the order kthreadd makes them, and a's and b's
    // histories, which said who asked for which, start over at their next op. Sampled
    // runs: whenever two paths reach one state, the same choices from there must end in
    // the same state (ControlRecorder.spawned: without the code's origin, ka and kb swap ids
    // unseen and the reference ends up held by another id).
    const target = {scenario: parseTrace(TWO_KTHREADS, 'kt.yaml'), variant: naive}
    let seed = 12345
    const random = (_: number, n: number): number => Math.floor(((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x80000000) * n)
    const first = new Map<string, number[]>()
    const ends = new Map<string, string>()
    const endOf = (prefix: readonly number[]): string => {
      const key = prefix.join()
      let end = ends.get(key)
      if (end === undefined) ends.set(key, (end = statesOf(target, prefix).end))
      return end
    }
    let compared = 0
    let conflicts = 0
    for (let run = 0; run < 100; run++) {
      const {states, picks} = statesOf(target, random)
      for (const {state, picked} of states) {
        const prefix = picks.slice(0, picked)
        const seen = first.get(state)
        if (seen === undefined) first.set(state, prefix)
        else if (seen.join() !== prefix.join()) {
          compared++
          if (endOf(seen) !== endOf(prefix)) conflicts++
        }
      }
    }
    expect(compared).toBeGreaterThan(300)
    expect(conflicts).toBe(0)
  })

  it('starts a persistent thread\'s history over at its loop head: each round of work goes through the same states', () => {
    // Two removals, so micro-stop's stopper is woken for two rounds of work. From the head
    // of its loop (k.loopTop) on, both rounds must show the same histories; without the
    // restart the second round's would carry the first's (and no state after the second
    // stop would match one after the first).
    const trace = MICRO_STOP_TRACE.replace('  - name: dummy', '  - name: dummy\n  - name: other').replace('      - rmmod: dummy', '      - rmmod: dummy\n      - rmmod: other')
    const rec = new ControlRecorder()
    const rounds: number[][] = []
    let engine!: Engine
    runTarget({scenario: parseTrace(trace, 'micro.yaml'), variant: stop}, {
      pick: () => 0,
      candidates: () => {
        const t = engine.m.tasks.find((x) => x.name === 'stopper/0')
        if (t === undefined) return
        rec.track(t)
        const running = t.where === 'running'
        const last = rounds.at(-1)
        if (running && (last === undefined || last.length === 0)) rounds.push([])
        if (running) rounds.at(-1)!.push(rec.history(t).value)
        else if (last !== undefined && last.length > 0) rounds.push([])
      },
    }, {
      untimed: true,
      tracer: rec,
      prepare: (e) => {
        engine = e
        rec.attach(e.m, e.k)
      },
    })
    const [first, second] = rounds.filter((r) => r.length > 0)
    expect(first.length).toBeGreaterThan(3)
    // The first resume of each round still differs (how it slept before): from the loop head on, the same.
    expect(second.slice(1)).toEqual(first.slice(1))
  })

  it('writes a stop function made by withArg as its function and data: two runs of one stop_machine removal pass through the same states', async () => {
    // Before withArg, stop-machine's stop functions were arrows, written by identity: from
    // the first stop_machine call on, no state of one run equalled the other's.
    const target = {scenario: loadTrace(new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname), variant: await loadVariant('stop-machine')}
    const one = statesOf(target, [])
    const two = statesOf(target, [])
    expect(one.states.length).toBeGreaterThan(20)
    expect(one.states.map((x) => x.state)).toEqual(two.states.map((x) => x.state))
    expect(one.states.some((x) => x.state.includes(String(0x7d00000f)))).toBe(true) // a bound function was in a state
  })

  it("leaves an exited task's history out: what it saw before it ended keeps no two states apart", () => {
    const target = {scenario: parseTrace(TWO_KTHREADS, 'two-kthreads.yaml'), variant: naive}
    let engine!: Engine
    const rec = new ControlRecorder()
    const prepare = (e: Engine): void => {
      engine = e
      rec.attach(e.m, e.k)
    }
    runTarget(target, {pick: () => 0}, {untimed: true, tracer: rec, prepare})
    const capture = (): string => {
      const out = new StateText()
      captureState(engine.m, engine.k, rec, out)
      return out.items.join(' ')
    }
    const exited = engine.m.tasks.filter((t) => t.where === 'exited')
    expect(exited.length).toBeGreaterThan(1)
    const before = capture()
    rec.history(exited[0]).int(12345) // as if it had seen something else
    expect(capture()).toBe(before)
    const live = new Task(99, 'live', 'normal', 0, [0], false, null)
    engine.m.tasks.push(live)
    const withLive = capture()
    rec.history(live).int(12345)
    expect(capture()).not.toBe(withLive)
  })

  it('hashes what it captures: equal captures, equal hashes; a changed word, another hash', () => {
    const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: atomic}
    const hashes: number[] = []
    for (let run = 0; run < 2; run++) {
      runTarget(target, {pick: () => 0}, {
        untimed: true,
        prepare: (e) => {
          const rec = new ControlRecorder()
          rec.attach(e.m, e.k)
          const h = new StateHash()
          captureState(e.m, e.k, rec, h)
          hashes.push(h.value)
          e.m.q.push(0, 0, 0, -1, null) // does not run: stale
          const word = {value: 0, owner: null, name: 'w'}
          rec.write(new StateHash(), word)
          word.value = run
          h.reset()
          captureState(e.m, e.k, rec, h)
          hashes.push(h.value)
        },
      })
    }
    expect(hashes[0]).toBe(hashes[2])
    expect(hashes[1]).not.toBe(hashes[3])
    expect(hashes.every((h) => Number.isSafeInteger(h) && h >= 0)).toBe(true)
  })
})
