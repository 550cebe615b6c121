import {withArg} from './with-arg.ts'
import type {IrqSpec, Op, UntilCondition} from '../scenario/types.ts'
import {EEXIST, ENOENT, type Kernel, type KernelApi} from './kernel.ts'
import {returnText} from './kernel/errno.ts'
import type {Module} from './module.ts'
import type {StepGen} from './task.ts'
import {MOD_STATE} from './tracer.ts'

/**
 * The interpreter of trace programs (trace-format.md, ops). Module operations go through
 * the variant under test; everything else through the kernel API. Each op is one or more
 * atomic steps.
 */

/**
 * A trace task's program: runOps itself is the task's generator, with no level of `yield*`
 * around it. Its exit value is 0 (Task.exitCode's default: runOps returns no number).
 */
export function taskProgram(k: Kernel, ops: readonly Op[]): StepGen<boolean> {
  return runOps(k, ops, true)
}

/** An interrupt handler: its program, in the text of any module it calls (runOps, as for a task). */
export function irqProgram(k: Kernel, irq: IrqSpec): StepGen<boolean> {
  return runOps(k, irq.program, true)
}

/** A trace's stop_machine function: busy-waits `ns` on the stopped machine, returns 0. */
function* busyWait(k: KernelApi, ns: number): StepGen<number> {
  yield* k.mdelay(ns)
  return 0
}

/** A kthread started by module code: it runs in that module's text until it returns. */
function* ownedThread(k: Kernel, owner: Module | null, ops: readonly Op[]): StepGen<number> {
  const t = k.current
  if (owner) t.text.push(owner)
  yield* runOps(k, ops)
  if (owner) t.text.pop()
  return 0
}

/**
 * The load after load_module's allocation: the variant's sys_init_module (its locks and
 * init-time reference) around init in module text; without one, init, then LIVE.
 */
export function* loadModule(k: Kernel, mod: Module): StepGen<number> {
  const init = () => runModuleCode(k, mod, mod.spec.init)
  const v = k.m.variant
  if (v.initModule) return yield* v.initModule(k, mod, init)
  yield* init()
  yield* k.setModuleState(mod, 'live')
  return 0
}

const FATAL = new Set(['KILL', 'TERM', 'INT', 'HUP'])

/** Whether any of `signals` is fatal (no array made per check). */
function fatalPending(signals: ReadonlySet<string>): boolean {
  for (const s of signals) if (FATAL.has(s)) return true
  return false
}

/** A `repeat` being run by runOps: where it sits, and how many times its body has run. */
interface Loop {
  readonly op: Extract<Op, {op: 'repeat'}>
  /** The list holding the repeat, and its index there. */
  readonly ops: readonly Op[]
  readonly at: number
  n: number
}

/**
 * Runs a list of ops in the current task. Returns false when a fatal signal ended it.
 * One generator runs the whole program, nested repeats included (a stack of Loops, not a
 * generator per level), and the module operations call the variant directly: every step
 * of a trace program resumes through as few generator frames as it can.
 *
 * `whole`: these ops are the task's whole code (a trace task's or an interrupt handler's
 * program), so between two ops its future is fixed by its position (`i` and `loops`) and
 * the machine's state, which the tracer is told (AccessTracer.programAt).
 */
export function* runOps(k: Kernel, program: readonly Op[], whole = false): StepGen<boolean> {
  const e = k.m
  const me = k.current
  const loops: Loop[] = []
  const tracer = whole ? e.tracer : null
  let ops = program
  let i = 0
  for (;;) {
    tracer?.programAt?.(i, loops)
    if (i === ops.length) {
      // The end of the program, or of a repeat's body: another iteration, or back out.
      const loop = loops.pop()
      if (loop === undefined) return true
      yield k.costs.step
      if (++loop.n < loop.op.count && (loop.op.until.length === 0 || (yield* repeatGoesOn(k, loop.op.until)))) {
        loops.push(loop)
        i = 0
      } else {
        ops = loop.ops
        i = loop.at + 1
      }
      continue
    }
    if (!me.kthread && me.pendingSignals.size && fatalPending(me.pendingSignals)) return false
    const op = ops[i]
    switch (op.op) {
      case 'spin':
        yield Math.max(op.ns, 1)
        break
      case 'sleep':
        yield* k.msleep(op.ns, !me.kthread)
        break
      case 'yield':
        yield k.costs.syscall
        yield* k.yield()
        break
      case 'get': {
        // try_module_get() through the variant; on failure, on past the matching put.
        const mod = getTarget(k, op.module)
        let ok = false
        if (mod === undefined) yield k.costs.step
        else ok = gotRef(k, mod, yield* e.variant.tryModuleGet(k, mod))
        if (!ok) {
          const put = matchingPut(ops, i)
          if (put >= 0) i = put
        }
        break
      }
      case 'put': {
        const mod = putTarget(k, op.module)
        if (mod !== undefined) yield* e.variant.modulePut(k, mod)
        break
      }
      case 'call':
        if (enterCode(k, op.module)) {
          yield Math.max(op.ns, 1)
          yield k.costs.step
          me.text.pop()
        }
        break
      case 'use': {
        const mod = getTarget(k, op.module)
        if (mod === undefined) {
          yield k.costs.step
          break
        }
        if (!gotRef(k, mod, yield* e.variant.tryModuleGet(k, mod))) break
        if (enterCode(k, op.module)) {
          yield Math.max(op.ns, 1)
          yield k.costs.step
          me.text.pop()
        }
        const held = putTarget(k, op.module)
        if (held !== undefined) yield* e.variant.modulePut(k, held)
        break
      }
      case 'rmmod':
        yield* deleteModule(k, op.module, op.wait, op.force)
        break
      case 'insmod':
        yield* initModule(k, op.module)
        break
      case 'request_module': {
        const name = op.module
        k.log(`request_module(${name})`)
        yield* k.callUsermodehelper((kk) => modprobe(kk, name), 'modprobe')
        break
      }
      case 'setaffinity': {
        yield k.costs.syscall
        const t = e.findTask(op.task)
        if (t) {
          t.lastSetAffinity = op.cpus
          k.log(`sched_setaffinity(${t.name}, ${op.cpus.join(',')})`)
          yield* k.setCpusAllowed(t, op.cpus)
        }
        break
      }
      case 'kill': {
        const t = e.findTask(op.task)
        if (t) yield* k.sendSignal(t, op.signal)
        break
      }
      case 'stop_machine': {
        const ns = op.ns
        k.log(`stop_machine(${ns} ns busy-wait)`)
        yield* e.variant.stopMachine(k, withArg(busyWait, ns))
        break
      }
      case 'mark':
        e.obs.mark(op.label, e.now)
        k.log(`mark ${op.label}`)
        yield k.costs.step
        break
      case 'repeat':
        if (op.count > 0 && (op.until.length === 0 || (yield* repeatGoesOn(k, op.until)))) {
          loops.push({op, ops, at: i, n: 0})
          ops = op.body
          i = 0
          continue
        }
        break
      case 'kthread_run': {
        const owner = me.text.length ? me.text[me.text.length - 1] : null
        const program = op.program
        yield* k.kthreadRun((kk) => ownedThread(kk, owner, program), op.name)
        break
      }
      case 'kthread_stop': {
        const t = e.findTask(op.name)
        if (t) yield* k.kthreadStop(t)
        break
      }
      case 'allow_signal':
        yield* k.allowSignal(op.signal)
        break
    }
    i++
  }
}

/** The checks at the top of a repeat's iteration: false when one of `until` says stop. */
function* repeatGoesOn(k: Kernel, until: readonly UntilCondition[]): StepGen<boolean> {
  if (until.includes('should_stop') && (yield* k.kthreadShouldStop())) return false
  if (until.includes('signal') && (yield* k.signalPending())) return false
  return true
}

/** The current instance of a module by name, telling the explorer's tracer (if any) what the lookup read. */
function lookup(k: Kernel, name: string): Module | undefined {
  const e = k.m
  const mod = e.modules.get(name)
  const tr = e.tracer
  if (tr !== null) {
    const slot = mod?.spec ?? e.moduleSpec(name)
    if (slot) tr.access(slot, 0, false)
    if (mod) tr.access(mod, MOD_STATE, false)
  }
  return mod
}

/** Tells the explorer's tracer (if any) that the current task took or dropped a reference. */
function refsChanged(k: Kernel, mod: Module, delta: number): void {
  const tr = k.m.tracer
  if (tr !== null) tr.refs(mod, k.current.id, delta)
}

const putAfter = new WeakMap<readonly Op[], Int32Array>()

/** Index of the `put` that matches the `get` at `i` (the next put of its module), or -1. */
function matchingPut(ops: readonly Op[], i: number): number {
  let table = putAfter.get(ops)
  if (!table) {
    table = new Int32Array(ops.length).fill(-1)
    ops.forEach((op, g) => {
      if (op.op === 'get') table![g] = ops.findIndex((o, j) => j > g && o.op === 'put' && o.module === op.module)
    })
    putAfter.set(ops, table)
  }
  return table[i]
}

/**
 * The instance try_module_get() is called on, or undefined when the lookup that leads to it
 * (a device, a filesystem type) is gone, or going: exit() unregisters it. That counts as a
 * failed get, and the caller charges its step.
 */
function getTarget(k: Kernel, name: string): Module | undefined {
  const e = k.m
  const mod = lookup(k, name)
  if (mod && !mod.freed && !mod.exiting) return mod
  e.obs.get(false)
  if (e.logOps) k.log(`try_module_get(${name}): no module`)
  return undefined
}

/** What the variant's try_module_get() returned, counted by the observers; a reference the task now holds. */
function gotRef(k: Kernel, mod: Module, ok: boolean): boolean {
  const e = k.m
  e.obs.get(ok)
  if (e.logOps) k.log(`try_module_get(${mod.name}) = ${ok ? 1 : 0}`)
  if (ok) {
    const t = k.current
    refsChanged(k, mod, 1)
    t.refs.set(mod, (t.refs.get(mod) ?? 0) + 1)
  }
  return ok
}

/** The instance module_put() is called on (the one this task holds a reference to), its reference dropped; undefined when none. */
function putTarget(k: Kernel, name: string): Module | undefined {
  const t = k.current
  const mod = heldOrLoaded(k, name)
  if (!mod) return undefined
  const n = t.refs.get(mod) ?? 0
  if (n > 0) {
    refsChanged(k, mod, -1)
    // A dropped reference leaves no entry: a task that gets every new instance in turn
    // (insmod and rmmod in a loop) would otherwise search an ever longer map.
    if (n === 1) t.refs.delete(mod)
    else t.refs.set(mod, n - 1)
  }
  if (k.m.logOps) k.log(`module_put(${name})`)
  return mod
}

/** The module instance a task holds a reference on, else the loaded one (or none). */
function heldOrLoaded(k: Kernel, name: string): Module | undefined {
  const refs = k.current.refs
  if (refs.size !== 0) for (const m of refs.keys()) if (m.name === name) return m
  const mod = lookup(k, name)
  return mod && !mod.freed ? mod : undefined
}

/**
 * Enters module code: the current task executes in the module's text until the caller
 * pops it, and the text must stay alive throughout. The code is the instance the task
 * holds a reference on, else the module's current instance, loaded or freed: a call (from
 * a task holding no reference, an irq handler exit left registered, a timer) into a freed
 * module runs freed text, a use-after-free. Only a module never loaded cannot be called
 * (false).
 */
function enterCode(k: Kernel, name: string): boolean {
  const mod = heldOrLoaded(k, name) ?? lookup(k, name)
  if (!mod) return false
  if (k.m.logOps) k.log(`call ${name}${mod.freed ? ' (freed)' : ''}`)
  k.current.text.push(mod)
  return true
}

/** delete_module(2) from a trace task: the variant's sys_delete_module, timed. */
function* deleteModule(k: Kernel, name: string, wait: boolean, force: boolean): StepGen<number> {
  const e = k.m
  const t = k.current
  t.syscallStart = e.now
  yield k.costs.syscall
  const mod = lookup(k, name)
  let ret = ENOENT
  if (mod && !mod.freed) ret = yield* e.variant.deleteModule(k, mod, {wait, force})
  e.obs.rmmod(e.now - t.syscallStart)
  t.syscallStart = -1
  k.log(`delete_module(${name}) = ${returnText(ret)}`)
  return ret
}

/** init_module(2): a new instance of the module, its refcount set up, then its init. */
function* initModule(k: Kernel, name: string): StepGen<number> {
  const e = k.m
  yield k.costs.syscall
  const old = lookup(k, name)
  if (old && !old.freed) return EEXIST
  const mod = e.newInstance(name)
  mod.priv = e.variant.moduleUnloadInit(k, mod, 0)
  k.log(`init_module(${name})`)
  return yield* loadModule(k, mod)
}

/** modprobe NAME, run by request_module(): init_module(2) of the module; its exit status. */
function* modprobe(k: Kernel, name: string): StepGen<number> {
  const ret = yield* initModule(k, name)
  return ret === EEXIST ? 0 : -ret
}

/** Runs trace ops as code inside `mod`'s text (its init or exit): the current task executes in it meanwhile. */
export function* runModuleCode(k: Kernel, mod: Module, ops: readonly Op[]): StepGen {
  const t = k.current
  t.text.push(mod)
  yield* runOps(k, ops)
  t.text.pop()
}
