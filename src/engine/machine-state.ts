import type {ControlRecorder} from './control-recorder.ts'
import type {Cpu} from './cpu.ts'
import {EV_IPI, EV_IRQ, EV_SLICE, EV_START, EV_STEP, EV_TIMER} from './event-kinds.ts'
import type {Kernel} from './kernel.ts'
import type {Machine} from './machine.ts'
import {Module} from './module.ts'
import {MACHINE_FIELDS, PENDING_FIELDS, type FieldRole} from './field-roles.ts'
import type {StateSink} from './state-hash.ts'
import {Task} from './task.ts'
import {boundParts} from './with-arg.ts'

/** The Machine's own state fields (MACHINE_FIELDS), written once a capture. */
const MACHINE_STATE = Object.entries(MACHINE_FIELDS).filter(([, r]) => r === 'state').map(([k]) => k)

const TAG_TASK = 0x7d000001
const TAG_MODULE = 0x7d000002
const TAG_REF = 0x7d000003
const TAG_BACK = 0x7d000004
const TAG_FN = 0x7d000005
const TAG_NULL = 0x7d000006
const TAG_UNDEF = 0x7d000007
const TAG_ARRAY = 0x7d000008
const TAG_MAP = 0x7d000009
const TAG_SET = 0x7d00000a
const TAG_OBJ = 0x7d00000b
const TAG_BOOL = 0x7d00000c
const TAG_IRQ_TASK = 0x7d00000d
const TAG_INTS = 0x7d00000e
const TAG_BOUND = 0x7d00000f

/**
 * Functions are named by identity: a closure made in one run never equals another run's,
 * so a state holding one is never matched by another run's (a module-level function is
 * the same in every run, and captures nothing); one made by withArg is written as its
 * function and argument.
 */
const fnIds = new WeakMap<object, number>()
let nextFn = 0

/**
 * Writes the canonical state of an untimed machine between two steps to `out`: the one
 * place that enumerates it. In order: every task (TASK_FIELDS' state fields and its
 * history), every CPU (CPU_FIELDS_STATE, with an irq handler running there written in
 * full), the current module instances (MODULE_FIELDS), the live queued events (a
 * multiset: their kind and what they are for, not when), the objects the kernel API handed
 * out (words, per-CPU counters, completions, mutexes), the variants' kernel state
 * (Kernel.statics), kthreadd's and the migration threads' queues, MACHINE_FIELDS' state,
 * and the kinds of finding seen so far (each kind is counted once per path). Objects
 * reached twice are written once and referred back to, so the encoding is of the object
 * graph up to renaming (allocation numbers differ between runs that allocated in another
 * order: such states are not matched, which costs reduction, never soundness).
 *
 * Left out, and why that is exact, in docs/explore.md ("State matching"): logical time
 * (event times, timeslices, when things happened) and observer-only fields.
 */
export function captureState(m: Machine, k: Kernel, rec: ControlRecorder, out: StateSink): void {
  new StateWriter(rec, out).machine(m, k)
}

/** One capture: the object graph walk (with back references) and the parts in order. */
class StateWriter {
  private readonly seen = new Map<object, number>()

  constructor(
    private readonly rec: ControlRecorder,
    private readonly out: StateSink,
  ) {}

  machine(m: Machine, k: Kernel): void {
    const {out} = this
    out.int(m.tasks.length)
    for (const t of m.tasks) this.task(t)
    for (const c of m.cpus) this.cpu(c)
    out.int(m.modules.size)
    for (const [name, mod] of m.modules) {
      out.str(name)
      this.module(mod)
    }
    this.events(m)
    const objs = this.rec.allocated
    out.int(objs.length)
    for (const o of objs) this.body(o)
    this.value(k.statics)
    this.value(k.createQueue)
    this.value(k.migrationQueues)
    const own = m as unknown as Record<string, unknown>
    for (const f of MACHINE_STATE) this.value(own[f])
    const kinds = m.obs.findings.map((f) => `${f.kind}|${f.task ?? ''}|${f.cpu ?? ''}`).sort()
    out.int(kinds.length)
    for (const s of kinds) out.str(s)
  }

  /**
   * A task: its id, the fields TASK_FIELDS marks as state in that order, each read by name
   * here (a loop over the names made one keyed lookup a field, the capture's costliest line;
   * test/engine/machine-state.test.ts checks that these are exactly those fields), then its
   * history.
   */
  private task(t: Task): void {
    const {out} = this
    out.int(t.id)
    this.value(t.where)
    this.value(t.state)
    this.value(t.cpu)
    // The task's own: never changed in place (set_cpus_allowed makes a new one) and never
    // handed out (cpusAllowed copies it), so its content alone.
    this.body(t.allowed)
    this.value(t.policy)
    this.value(t.priority)
    this.value(t.rank)
    // The rest of an interrupted step: owed or not; its length is time (docs/explore.md).
    out.int(t.remaining > 0 ? 1 : 0)
    this.value(t.resume)
    // A task's own containers are made with it and held nowhere else: their content alone.
    this.body(t.text)
    this.body(t.refs)
    this.body(t.pendingSignals)
    this.body(t.allowedSignals)
    this.value(t.shouldStop)
    this.value(t.exitCode)
    this.body(t.exitWaiters)
    this.value(t.blockedOn)
    this.value(t.waitsFor)
    this.value(t.lastSetAffinity)
    this.value(t.expired)
    this.value(t.parkedOn)
    this.value(t.parkedYielding)
    this.value(t.key)
    this.value(t.vruntime)
    this.value(t.everRan)
    // An exited task's history stood for code that will not run again: left out, so tasks
    // that ended after seeing different things do not keep two states apart.
    if (t.where === 'exited') {
      out.int(-1)
      return
    }
    this.rec.track(t)
    const h = this.rec.history(t)
    out.int(t.gen === null ? 0 : 1)
    out.num(h.value)
  }

  /** A CPU: the fields CPU_FIELDS_STATE marks as state, in that order, each read by name (as in `task`). */
  private cpu(c: Cpu): void {
    const {out} = this
    this.value(c.curr)
    if (c.irqTask === null) {
      this.value(null)
    } else {
      // A handler's task exists only while it runs: written in full, here.
      out.int(TAG_IRQ_TASK)
      out.str(c.irqTask.name)
      this.task(c.irqTask)
    }
    // The run queue is the CPU's own, and so are its lists.
    this.taskList(c.rq.rt)
    this.taskList(c.rq.active)
    this.taskList(c.rq.expiredArr)
    this.taskList(c.rq.idle)
    this.value(c.preempt)
    this.value(c.irqsOff)
    this.value(c.needResched)
    out.int(c.pending.length)
    for (const p of c.pending) this.fields(p, PENDING_FIELDS)
    this.value(c.freshIpis)
    this.value(c.minVruntime)
  }

  /** A list of tasks held by nothing else, by id. */
  private taskList(q: readonly Task[]): void {
    const {out} = this
    out.int(TAG_ARRAY)
    out.int(q.length)
    for (const t of q) {
      out.int(TAG_TASK)
      out.int(t.id)
    }
  }

  /** A module instance: its name and instance, then the fields MODULE_FIELDS marks as state, in that order, each read by name (as in `task`). */
  private module(mod: Module): void {
    this.out.str(mod.name)
    this.out.int(mod.instance)
    this.value(mod.state)
    this.value(mod.freed)
    this.value(mod.exiting)
    this.value(mod.baseRefs)
    this.value(mod.priv)
  }

  /**
   * The live queued events as a sorted multiset of (kind, what for). Superseded ones were
   * dropped by the loop before the capture; timeslice ends are time (left out).
   */
  private events(m: Machine): void {
    const keys: number[] = []
    for (const ev of m.q.all()) {
      let who: number
      let extra = 0
      switch (ev.kind) {
        case EV_SLICE:
          continue
        case EV_STEP:
          if (ev.tag !== m.cpus[ev.cpu].stepGen) continue
          who = ev.cpu
          break
        case EV_IPI:
          who = ev.cpu
          extra = ev.tag === m.cpus[ev.cpu].ipiGen ? 1 : 0
          break
        case EV_TIMER:
        case EV_START: {
          const t = ev.data as Task
          if (ev.kind === EV_TIMER && t.timerToken !== ev.tag) continue
          who = t.id
          break
        }
        case EV_IRQ:
          who = ev.tag
          extra = ev.data as number
          break
        default:
          who = ev.cpu
      }
      keys.push(((ev.kind * 0x10000 + (who & 0xffff)) * 0x10000) + (extra & 0xffff))
    }
    keys.sort((a, b) => a - b)
    this.out.int(keys.length)
    for (const x of keys) this.out.num(x)
  }

  /** An object's own fields (all, or those `roles` marks as state), with back references. */
  private fields(o: object, roles?: Readonly<Record<string, FieldRole>>): void {
    const own = o as Record<string, unknown>
    const keys = Object.keys(o)
    this.out.int(TAG_OBJ)
    this.out.int(keys.length)
    for (const key of keys) {
      if (roles !== undefined && roles[key] !== 'state') continue
      this.out.str(key)
      this.value(own[key])
    }
  }

  /** Any value reachable from the state. */
  private value(v: unknown): void {
    const {out} = this
    if (v === undefined) out.int(TAG_UNDEF)
    else if (v === null) out.int(TAG_NULL)
    else if (typeof v === 'number') out.num(v)
    else if (typeof v === 'string') out.str(v)
    else if (typeof v === 'boolean') {
      out.int(TAG_BOOL)
      out.int(v ? 1 : 0)
    } else if (v instanceof Task) {
      out.int(TAG_TASK)
      out.int(v.id)
    } else if (v instanceof Module) {
      out.int(TAG_MODULE)
      out.str(v.name)
      out.int(v.instance)
    } else if (typeof v === 'function') {
      const bound = boundParts(v)
      if (bound !== undefined) {
        out.int(TAG_BOUND)
        this.value(bound.fn)
        this.value(bound.arg)
        return
      }
      let id = fnIds.get(v)
      if (id === undefined) fnIds.set(v, (id = nextFn++))
      out.int(TAG_FN)
      out.int(id)
    } else if (typeof v === 'object') {
      this.object(v)
    } else {
      out.str(typeof v) // a bigint or symbol: never in the machine's state
    }
  }

  private object(o: object): void {
    const {out} = this
    const ref = this.rec.idOf(o)
    if (ref >= 0) {
      // Handed out by the kernel API: written in full with the others (machine()).
      out.int(TAG_REF)
      out.int(ref)
      return
    }
    const back = this.seen.get(o)
    if (back !== undefined) {
      out.int(TAG_BACK)
      out.int(back)
      return
    }
    this.seen.set(o, this.seen.size)
    this.body(o)
  }

  /** An object's content: an array's items, a map's entries, a set's members, a typed array's numbers, or its fields. */
  private body(o: object): void {
    const {out} = this
    if (Array.isArray(o)) {
      out.int(TAG_ARRAY)
      out.int(o.length)
      for (const x of o as unknown[]) this.value(x)
    } else if (o instanceof Map) {
      out.int(TAG_MAP)
      out.int(o.size)
      for (const [key, x] of o) {
        this.value(key)
        this.value(x)
      }
    } else if (o instanceof Set) {
      out.int(TAG_SET)
      out.int(o.size)
      for (const x of o) this.value(x)
    } else if (ArrayBuffer.isView(o)) {
      const a = o as unknown as ArrayLike<number>
      out.int(TAG_INTS)
      out.int(a.length)
      for (let i = 0; i < a.length; i++) out.num(a[i])
    } else {
      this.fields(o)
    }
  }
}

