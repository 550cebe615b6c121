import {Cpu} from './cpu.ts'
import type {Kernel} from './kernel.ts'
import type {Machine} from './machine.ts'
import {Module} from './module.ts'
import {recordKernelCalls} from './record-kernel-calls.ts'
import {mayForget, type CallMark} from './call-mark.ts'
import {StateHash, type StateSink} from './state-hash.ts'
import {StepToken, type Step} from './step.ts'
import {Task, type StepGen} from './task.ts'
import {CPU_ATOMIC, CPU_PENDING, CPU_RQ, CPU_SCHED, MOD_STATE, OP_ADD, OP_ADD_UNLESS, OP_DEC_IF_POSITIVE, OP_READ, type AccessTracer, type ProgramLoop} from './tracer.ts'
import {WORD_OPS} from './word-ops.ts'

/**
 * msleep reads the clock: `while (now < deadline)` sleeps again when the task is woken
 * before its timer. Woken by the timer, the clock has reached the deadline, so the loop
 * ends whatever the times were; woken by one of these calls (naming the task), it is
 * the clock that decides.
 */
const SLEEP_ON_CLOCK: ReadonlySet<string> = new Set(['msleep', 'msleepUntil'])
/**
 * Polling waits whose polls keep their state in kernel objects (captured whole), so that
 * what happens inside is not recorded: a poll that finds nothing new changes no state.
 */
const QUIET: ReadonlySet<string> = new Set(['msleepUntil'])
const WAKERS: ReadonlySet<string> = new Set(['wakeUpProcess', 'sendSignal', 'forceSig', 'kthreadStop'])
/** recordReturn's `sets` for a call that is not a sleep: one array for all (a default `[]` is made at each call). */
const NO_SETS: readonly Set<Task>[] = []

const STEP = 0x51e9
const CALL = 0x6a11
const RETURN = 0x7c33
const READ = 0x3d21
const SEEN = 0x4e17
const LOOP = 0x2f0b
const PROGRAM = 0x1c5d
const SPAWN = 0x0d1f
const UNDEFINED = 0x7e000001
const NULL = 0x7e000002
const FALSE = 0x7e000003
const TRUE = 0x7e000004
const FUNCTION = 0x7e000005
const TASK = 0x7e000006
const MODULE = 0x7e000007
const ARRAY = 0x7e000008
const OBJECT = 0x7e000009

/**
 * The control state of every task of one run, for a stateful search (src/explore/stateful).
 * A task's code is a generator, whose program counter and locals cannot be read; but it is
 * deterministic, so its future is fixed by its code and the values that flowed into it:
 * what the engine passed at each resume, and each kernel API call (its method and
 * arguments, when it starts) and what it returned (when it returns). The recorder folds that sequence, per task, into a hash: its
 * *history*, which stands for the generator's hidden state in a state capture
 * (machine-state.ts). Trace programs are generators over data too, so the same holds.
 *
 * It also numbers the objects the kernel API hands out (words, per-CPU counters,
 * completions, mutexes) in allocation order, so a capture can name them and include the
 * ones only generator locals still reach (stop_machine's msdata). And it notes when the
 * clock may have decided something (a task in msleep woken early), which a search that
 * leaves the clock out must know about.
 *
 * A kernel primitive takes effect when its step starts and returns at the next resume, so
 * between the two the value it will return is hidden in its frame. The recorder is also
 * the run's AccessTracer (tracer.ts), and folds into the current task's history what each
 * read saw as it happens: what a word operation lets its caller see (word-ops.ts) and the
 * fields of a task, CPU, module or lock the code read. That also covers the engine's own
 * reads of machine state on a task's behalf (a trace program's module lookup).
 *
 * Not kept step by step: a kernel call's inside, forgotten once it returns (CallMark); a
 * polling wait (`msleepUntil`, whose polls keep their state in kernel objects) records
 * nothing until it returns; a persistent thread's loop head (`loopTop`) starts its history
 * over, and so does each op of a trace program that is a task's whole code (`programAt`).
 *
 * It attaches by putting a recording prototype under the Kernel instance (made once per
 * class) and wrapping each task's generator (an extra generator frame per call: only
 * stateful searches pay it), and as the tracer; the engine is unchanged. Make it, pass it
 * as RunOptions.tracer, then `attach` it to the engine before the run starts
 * (RunConfig.prepare).
 */
export class ControlRecorder implements AccessTracer {
  /** Objects handed out or taken by the kernel API, in the order first seen. */
  readonly allocated: object[] = []
  /** Whether the logical clock may have decided something: a task in msleep woken other than by its timer. */
  clockRead = false
  /** Tasks inside msleep. */
  private readonly sleeping = new Set<Task>()
  /** Tasks inside a QUIET wait: nothing is recorded of them until it returns. */
  private readonly quiet = new Set<Task>()
  private readonly ids = new Map<object, number>()
  private readonly histories = new Map<Task, StateHash>()
  /** How often each task's history started over (CallMark). */
  private readonly restarts = new Map<Task, number>()
  /**
   * Where each function the kernel API was handed came from: its caller's id and history
   * as the call started (the first time it was passed). The caller's code made it, so that
   * fixes what it does.
   */
  private readonly origins = new WeakMap<object, number>()
  /** The origin of the code each task made at run time runs (spawned). */
  private readonly spawnedFrom = new Map<Task, number>()
  private readonly wrapped = new WeakSet<object>()

  private m!: Machine

  /** Attaches to a run's machine and kernel API (before the run starts). */
  attach(m: Machine, k: Kernel): void {
    this.m = m
    recordKernelCalls(k, this)
  }

  // ---- AccessTracer: what the current task's code read --------------------------------

  dispatch(): void {}
  alloc(): void {}
  refs(): void {}
  parked(): void {}
  disabled(): void {}

  access(obj: object, field: number, write: boolean): void {
    if (write) return
    const h = this.recording(this.m.current)
    if (h === null) return
    h.int(READ + field)
    if (obj instanceof Task) {
      h.int(obj.id)
      h.str(obj.where)
      h.int(obj.state)
      h.int(obj.cpu)
      h.int(obj.rank)
      h.int(obj.shouldStop ? 1 : 0)
      h.int(obj.exitCode)
      for (const sig of obj.pendingSignals) h.str(sig)
    } else if (obj instanceof Cpu) {
      h.int(obj.id)
      if (field === CPU_SCHED) {
        h.int(obj.curr?.id ?? -2)
        h.int(obj.irqTask === null ? 0 : 1)
        h.int(obj.needResched ? 1 : 0)
        h.int(obj.stepEnd >= 0 ? 1 : 0)
      } else if (field === CPU_ATOMIC) {
        h.int(obj.preempt)
        h.int(obj.irqsOff ? 1 : 0)
      } else if (field === CPU_PENDING) {
        h.int(obj.pending.length)
      } else if (field === CPU_RQ) {
        for (const q of obj.rq.tasks()) h.int(q.id)
      }
    } else if (obj instanceof Module) {
      if (field === MOD_STATE) {
        h.str(obj.state)
        h.int((obj.exiting ? 2 : 0) + (obj.freed ? 1 : 0))
      }
    } else if (Array.isArray(obj)) {
      h.int(obj.length)
    } else {
      // A module's slot (its name: which instance is current), a completion, a mutex.
      const mod = 'name' in obj && !('owner' in obj) ? this.m.modules.get((obj as {name: string}).name) : undefined
      if (mod !== undefined) {
        h.int(mod.instance)
      } else {
        for (const [key, v] of Object.entries(obj)) {
          if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') this.write(h, v)
          else if (v instanceof Task || v === null) this.write(h, v)
          else if (Array.isArray(v)) h.int(v.length)
          else h.str(key)
        }
      }
    }
  }

  word(_obj: object, _field: number, op: number, a: number, b: number, seen: number): void {
    // What the caller sees: nothing of a store, an ack or a blind add.
    const observes = op === OP_READ || op === OP_ADD_UNLESS || op === OP_DEC_IF_POSITIVE || (op === OP_ADD && b !== 0)
    const h = observes ? this.recording(this.m.current) : null
    if (h === null) return
    h.int(SEEN)
    h.num(WORD_OPS[op].seen(a, b, seen))
  }

  /**
   * The current task is at the head of its loop `where` (Kernel.loopTop), carrying nothing
   * from earlier rounds: its future is fixed by its code, that position and the machine's
   * state, so its history starts over as that position alone.
   */
  loopTop(where: string): void {
    const t = this.m.current
    const h = this.recording(t)
    if (h === null) return
    this.restart(t!, h)
    h.int(LOOP)
    h.str(where)
  }

  /**
   * The current task, whose whole code is a trace program, is between two ops at `i` inside
   * `loops` (AccessTracer.programAt): its history starts over as that position alone, as at
   * a loop head (the program is the task's, fixed by its id).
   */
  programAt(i: number, loops: readonly ProgramLoop[]): void {
    const t = this.m.current
    const h = this.recording(t)
    if (h === null) return
    this.restart(t!, h)
    h.int(PROGRAM + loops.length)
    h.int(i)
    for (const l of loops) {
      h.int(l.at)
      // The rounds of a `repeat: forever` are compared with nothing.
      h.int(l.op.count === Infinity ? -1 : l.n)
    }
  }

  /**
   * `task` was made, by the current task, to run `code` (AccessTracer.spawned). Which
   * code a task made at run time runs is said by no field of the machine (its id only
   * says in what order it was made), and the history of the task that made it starts
   * over at its next op or loop head: so the origin of its code starts its own history,
   * and every restart of it.
   */
  spawned(task: object, code: object): void {
    const t = task as Task
    const origin = this.origins.get(code)
    // Boot is the same in every run, so a thread made then is named by its id; one made at
    // run time from code that never went through a recorded kernel call would be unnamed.
    if (origin === undefined && this.m.current !== null) throw new Error(`ControlRecorder: ${t.name} was made at run time from code no recorded kernel call was handed`)
    this.spawnedFrom.set(t, origin ?? -1)
    this.restart(t, this.history(t))
  }

  /** Starts `t`'s history over: the origin of its code alone, if it was made at run time. */
  private restart(t: Task, h: StateHash): void {
    h.reset()
    this.restarts.set(t, (this.restarts.get(t) ?? 0) + 1)
    const origin = this.spawnedFrom.get(t)
    if (origin !== undefined) {
      h.int(SPAWN)
      h.num(origin)
    }
  }

  /** The history what `t` does now goes into: null for no task (boot) or one inside a QUIET wait. */
  recording(t: Task | null): StateHash | null {
    return t === null || this.quiet.has(t) ? null : this.history(t)
  }

  /** The allocation number of an object the kernel API handed out, or -1. */
  idOf(obj: object): number {
    return this.ids.get(obj) ?? -1
  }

  /** The history of `t` (see the class comment). */
  history(t: Task): StateHash {
    let h = this.histories.get(t)
    if (h === undefined) this.histories.set(t, (h = new StateHash()))
    return h
  }

  /** Makes sure `t`'s generator records its resumes (call before the task's next step). */
  track(t: Task): void {
    const g = t.gen
    if (g === null || this.wrapped.has(g)) return
    const w = recordSteps(this, t, g)
    this.wrapped.add(w)
    t.gen = w
  }

  /** Folds a value that flowed into a task's code into `out`. */
  write(out: StateSink, v: unknown): void {
    if (v === undefined) out.int(UNDEFINED)
    else if (v === null) out.int(NULL)
    else if (v === false) out.int(FALSE)
    else if (v === true) out.int(TRUE)
    else if (typeof v === 'number') out.num(v)
    else if (typeof v === 'string') out.str(v)
    else if (typeof v === 'function') out.int(FUNCTION) // made by the caller: its own history fixes it
    else if (v instanceof Task) {
      out.int(TASK)
      out.int(v.id)
    } else if (v instanceof Module) {
      out.int(MODULE)
      out.str(v.name)
      out.int(v.instance)
    } else if (Array.isArray(v)) {
      out.int(ARRAY)
      out.int(v.length)
      for (const x of v as unknown[]) this.write(out, x)
    } else if (typeof v === 'object') {
      out.int(OBJECT)
      out.int(this.register(v))
    } else {
      out.str(typeof v) // a bigint or symbol: never in the machine's state
    }
  }

  /**
   * The current task calls kernel method `name`, number `id`: noted when the call starts,
   * so a task suspended inside a call differs from one suspended elsewhere with the same
   * past. Returns the caller's mark, or null (CallMark).
   */
  calling(id: number, name: string, args: readonly unknown[]): CallMark | null {
    const t = this.m.current
    const h = this.recording(t) // none at boot: the same in every run
    if (h !== null) {
      h.int(CALL + id)
      for (const a of args) this.write(h, a)
    }
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      if (typeof a === 'function' && !this.origins.has(a)) this.origins.set(a, originOf(t, t === null ? 0 : this.history(t).value, i))
    }
    if (h === null || !mayForget(name, args)) return null
    return {task: t!, at: h.mark(), restarts: this.restarts.get(t!) ?? 0, start: null}
  }

  /** Whether the caller's history is where the call left it when its method returned: its steps start at once. */
  startsAtOnce(mark: CallMark): boolean {
    return mark.task === this.m.current && mark.start !== null && this.history(mark.task).isAt(mark.start)
  }

  /** A kernel call returned `ret` to the current task, which made it with `mark` (CallMark). */
  returned(ret: unknown, mark: CallMark | null): void {
    if (ret !== null && typeof ret === 'object' && !(ret instanceof Task) && !(ret instanceof Module) && !Array.isArray(ret)) this.register(ret)
    const h = this.recording(this.m.current)
    if (h === null) return
    if (mark !== null && mark.task === this.m.current && mark.restarts === (this.restarts.get(mark.task) ?? 0)) h.restore(mark.at)
    h.int(RETURN)
    this.write(h, ret)
  }

  private register(obj: object): number {
    let id = this.ids.get(obj)
    if (id === undefined) {
      id = this.allocated.length
      this.ids.set(obj, id)
      this.allocated.push(obj)
    }
    return id
  }

  /**
   * A call of kernel method number `id` (`name`) by the current task, through the
   * recording prototype (record-kernel-calls.ts): noted, run, and its return recorded.
   */
  kernelCall(k: Kernel, id: number, name: string, orig: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    if (WAKERS.has(name) && this.sleeping.has(args[0] as Task)) this.clockRead = true
    const mark = this.calling(id, name, args)
    const r = orig.apply(k, args)
    // A Step's value sits in the step (Task.stepValue) until the next resume hands it back.
    const h = r instanceof StepToken ? this.recording(this.m.current) : null
    if (h !== null) this.write(h, this.m.current!.stepValue)
    if (mark !== null) mark.start = this.history(mark.task).mark()
    if (SLEEP_ON_CLOCK.has(name) && isGenerator(r)) return recordReturn(this, r, mark, QUIET.has(name) ? [this.sleeping, this.quiet] : [this.sleeping], this.m.current)
    if (isGenerator(r) || r instanceof StepToken) return recordReturn(this, r, mark)
    this.returned(r, mark)
    return r
  }
}

/** A function's origin (ControlRecorder.origins): its caller (none at boot), the caller's history, and the argument's place. */
function originOf(caller: Task | null, history: number, arg: number): number {
  const h = new StateHash()
  h.int(caller === null ? -1 : caller.id)
  h.num(history)
  h.int(arg)
  return h.value
}

function isGenerator(v: unknown): v is StepGen<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as Generator).next === 'function' && typeof (v as Generator).throw === 'function'
}

/**
 * A kernel method's steps (a generator's, or one Step's), recording what it returns; its
 * caller `t` is in `sets` meanwhile (msleep's: sleeping on the clock, quiet).
 */
function* recordReturn(rec: ControlRecorder, g: Step<unknown>, mark: CallMark | null, sets: readonly Set<Task>[] = NO_SETS, t: Task | null = null): StepGen<unknown> {
  const at = mark !== null && rec.startsAtOnce(mark) ? mark : null
  for (const s of sets) s.add(t!)
  const v = yield* g
  for (const s of sets) s.delete(t!)
  rec.returned(v, at)
  return v
}

/** A task's generator, recording each resume and the value passed in. */
function* recordSteps(rec: ControlRecorder, t: Task, inner: StepGen<unknown>): StepGen<unknown> {
  let arg: unknown = undefined
  for (;;) {
    const h = rec.recording(t)
    if (h !== null) {
      h.int(STEP)
      rec.write(h, arg)
    }
    const r = inner.next(arg)
    if (r.done === true) return r.value
    arg = yield r.value
  }
}
