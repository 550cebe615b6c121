/**
 * id:       stop-machine
 * title:    cpu_stop stop_machine in the stop class
 * authors:  Tejun Heo, Peter Zijlstra, Rusty Russell
 * date:     2010-10
 * kernels:  2.6.37–3.18 (module removal); stop_machine still in use
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: the stopper threads are persistent (no thread creation per call, the cost Kay
 * Sievers and SGI measured) and run in stop_sched_class, above every RT priority, so a
 * SCHED_FIFO 99 hog can no longer keep a CPU from being stopped. Acks are decentralised:
 * the last CPU to ack a state advances it.
 * Broke / left broken: every call still stops every online CPU, isolated and nohz_full
 * ones included, for the whole stop: a latency spike proportional to the machine size on
 * every module removal (twice: the refcount check and free_module's unlink).
 *
 * Modelled: module.c of 3.13–3.18 (O_NONBLOCK semantics always; `--wait` unsupported),
 * with the per-CPU `incs`/`decs` refcount read under the stop.
 */
import {
  defineVariant,
  EBUSY,
  EWOULDBLOCK,
  kernelState,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  type Completion,
  type DeleteFlags,
  type Kernel,
  type Module,
  type Mutex,
  type PerCpuWord,
  type StepGen,
  type StopFn,
  type Task,
  type Word,
  withArg,
} from '../src/api.ts'

/** struct module_ref, per CPU: incs and decs. */
export interface ModuleRef {
  readonly incs: PerCpuWord
  readonly decs: PerCpuWord
}

/** struct cpu_stop_done. */
interface CpuStopDone {
  readonly nrTodo: Word
  /**
   * Set by a stopper whose callback failed, read by the caller once every stopper is done:
   * a kernel word (on the caller's stack, as `done` is), so that a captured state holds it
   * after the stopper that wrote it has gone back to sleep.
   */
  readonly ret: Word
  readonly completion: Completion
}

/** struct cpu_stop_work. */
interface CpuStopWork {
  readonly fn: StopFn
  readonly done: CpuStopDone
}

/** struct cpu_stopper, one per CPU. */
interface CpuStopper {
  readonly works: CpuStopWork[]
  thread: Task | null
}

/** The kernel's static state for one run: stoppers, stop_cpus_mutex, module_mutex. */
interface State {
  readonly stoppers: CpuStopper[]
  readonly stopCpusMutex: Mutex
  readonly moduleMutex: Mutex
}
const state = kernelState<State>('stop-machine')

// enum multi_stop_state
const MULTI_STOP_NONE = 0
const MULTI_STOP_PREPARE = 1
const MULTI_STOP_DISABLE_IRQ = 2
const MULTI_STOP_RUN = 3
const MULTI_STOP_EXIT = 4

/** struct multi_stop_data. */
interface MultiStopData {
  readonly fn: StopFn
  readonly numThreads: number
  readonly state: Word
  readonly threadAck: Word
}

// ---- kernel/stop_machine.c ------------------------------------------------------------

/** cpu_stop_signal_done(): the last stopper to finish completes the waiter. */
function* cpuStopSignalDone(k: Kernel, done: CpuStopDone): StepGen {
  if (yield* k.atomicDecAndTest(done.nrTodo)) yield* k.complete(done.completion)
}

/** cpu_stopper_thread() under smpboot_thread_fn(): sleep until work is queued, run it. */
function* cpuStopperThread(k: Kernel, cpu: number): StepGen<number> {
  const stopper = state(k).stoppers[cpu]
  for (;;) {
    k.loopTop('cpu_stopper_thread')
    yield* k.setCurrentState(TASK_INTERRUPTIBLE)
    if (!stopper.works.length) {
      yield* k.schedule('cpu_stop: no work')
      continue
    }
    k.current.state = TASK_RUNNING
    // raw_spin_lock_irq(&stopper->lock); work = list_first_entry(...); list_del_init(...)
    yield* k.localIrqDisable()
    const work = stopper.works.shift()!
    yield* k.localIrqEnable()
    // cpu stop callbacks must not sleep: preempt_count_inc() around the call
    yield* k.preemptDisable()
    const ret = yield* work.fn(k)
    if (ret) work.done.ret.value = ret
    yield* cpuStopSignalDone(k, work.done)
    yield* k.preemptEnable()
  }
}

/** cpu_stop_queue_work(): list_add_tail under stopper->lock, then wake the stopper. */
function* cpuStopQueueWork(k: Kernel, cpu: number, work: CpuStopWork): StepGen {
  const stopper = state(k).stoppers[cpu]
  const wasOff = yield* k.localIrqSave()
  stopper.works.push(work)
  yield* k.localIrqRestore(wasOff)
  yield* k.wakeUpProcess(stopper.thread!)
}

/** set_state(): reset the ack counter, then publish the new state. */
function* setState(k: Kernel, msdata: MultiStopData, newstate: number): StepGen {
  yield* k.atomicSet(msdata.threadAck, msdata.numThreads)
  yield* k.mb() // smp_wmb()
  yield* k.atomicSet(msdata.state, newstate)
}

/**
 * ack_state(): `if (atomic_dec_and_test(&msdata->thread_ack)) set_state(msdata,
 * msdata->state + 1)`: the last CPU to acknowledge a state advances to the next one. One
 * step of the model (Kernel.barrierAck): no CPU can see the moment between the last
 * decrement and set_state's store, since all have acked and only poll msdata->state.
 */
function* ackState(k: Kernel, msdata: MultiStopData): StepGen {
  yield* k.barrierAck(msdata.threadAck, msdata.numThreads, msdata.state)
}

/** multi_cpu_stop(): every stopper steps through the states together; the active one runs fn. */
function* multiCpuStop(k: Kernel, msdata: MultiStopData): StepGen<number> {
  const cpu = k.rawSmpProcessorId()
  const isActive = cpu === k.onlineCpus()[0] // cpumask_first(cpu_online_mask)
  const wasOff = k.irqsDisabled() // local_save_flags()
  let curstate = MULTI_STOP_NONE
  let err = 0
  do {
    // cpu_relax() (stop_machine_yield) and READ_ONCE(msdata->state) until it changes
    yield* k.spinUntil([msdata.state], () => msdata.state.value !== curstate)
    const newstate = yield* k.atomicRead(msdata.state)
    if (newstate !== curstate) {
      curstate = newstate
      switch (curstate) {
        case MULTI_STOP_DISABLE_IRQ:
          yield* k.localIrqDisable()
          yield* k.hardIrqDisable()
          break
        case MULTI_STOP_RUN:
          if (isActive) err = yield* msdata.fn(k)
          break
      }
      yield* ackState(k, msdata)
    }
  } while (curstate !== MULTI_STOP_EXIT)
  yield* k.localIrqRestore(wasOff)
  return err
}

/**
 * stop_cpus(): queue the work on every CPU with preemption disabled, so that this CPU's
 * stopper cannot preempt us before all the others are queued, then wait for all of them.
 */
function* stopCpus(k: Kernel, fn: StopFn): StepGen<number> {
  const s = state(k)
  yield* k.mutexLock(s.stopCpusMutex)
  const cpus = k.onlineCpus()
  const done: CpuStopDone = {nrTodo: k.word('done.nr_todo', cpus.length), ret: k.word('done.ret', 0), completion: k.completion()}
  yield* k.preemptDisable()
  for (const cpu of cpus) yield* cpuStopQueueWork(k, cpu, {fn, done})
  yield* k.preemptEnable()
  yield* k.waitForCompletion(done.completion, 'stop_cpus')
  yield* k.mutexUnlock(s.stopCpusMutex)
  return done.ret.value
}

/** stop_machine(): run fn on the first online CPU while every online CPU is held. */
function* stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  const msdata: MultiStopData = {
    fn,
    numThreads: k.numOnlineCpus(),
    state: k.word('msdata.state', MULTI_STOP_NONE),
    threadAck: k.word('msdata.thread_ack', 0),
  }
  yield* setState(k, msdata, MULTI_STOP_PREPARE)
  return yield* stopCpus(k, withArg(multiCpuStop, msdata))
}

// ---- kernel/module.c (3.13–3.18) ------------------------------------------------------

/** module_refcount(): sum decs, then incs, over every CPU, with plain reads. */
export function* moduleRefcount(k: Kernel, mod: Module<ModuleRef>): StepGen<number> {
  let incs = 0
  let decs = 0
  for (const cpu of k.onlineCpus()) decs += yield* k.localRead(mod.priv.decs, cpu)
  yield* k.mb() // smp_rmb()
  for (const cpu of k.onlineCpus()) incs += yield* k.localRead(mod.priv.incs, cpu)
  return incs - decs
}

/** struct stopref: what try_stop_module() hands __try_stop_module() through stop_machine. */
export interface Stopref {
  readonly mod: Module<ModuleRef>
  readonly flags: DeleteFlags
  /** Set when the removal is forced (*sref->forced). */
  forced: boolean
}

/** __try_stop_module(): under stop_machine, refuse a module in use unless forced; else mark it GOING. */
export function* __try_stop_module(k: Kernel, sref: Stopref): StepGen<number> {
  /* If it's not unused, quit unless we're forcing. */
  if ((yield* moduleRefcount(k, sref.mod)) !== 0) {
    sref.forced = sref.flags.force // try_force_unload(): O_TRUNC with CONFIG_MODULE_FORCE_UNLOAD
    if (!sref.forced) return EWOULDBLOCK
  }
  /* Mark it as dying. */
  yield* k.setModuleState(sref.mod, 'going')
  return 0
}

/** __unlink_module(): under stop_machine, list_del(&mod->list). */
export function* __unlink_module(k: Kernel): StepGen<number> {
  yield* k.step()
  return 0
}

/**
 * free_module() after mod->exit(), as it unlinks and frees: `mutex_lock(&module_mutex);
 * stop_machine(__unlink_module, mod, NULL); mutex_unlock(&module_mutex);`, then the
 * module's memory is freed. `stopMachine` is the stop_machine() of the variant calling it.
 */
export function* freeModule(k: Kernel, mod: Module, moduleMutex: Mutex, stopMachine: (k: Kernel, fn: StopFn) => StepGen<number>): StepGen {
  yield* k.mutexLock(moduleMutex)
  yield* stopMachine(k, __unlink_module)
  yield* k.mutexUnlock(moduleMutex)
  yield* k.freeModule(mod)
}

/** module_put(): the decrement, in this CPU's `decs`. */
function* modulePut(k: Kernel, mod: Module<ModuleRef>): StepGen {
  yield* k.preemptDisable()
  yield* k.mb() // smp_wmb(): see comment in module_refcount
  yield* k.localInc(mod.priv.decs, k.rawSmpProcessorId()) // __this_cpu_inc(refptr->decs)
  yield* k.preemptEnable()
}

/** module_mutex of this run (the one stop-machine's boot made). */
export function moduleMutex(k: Kernel): Mutex {
  return state(k).moduleMutex
}

/**
 * load_module() and do_init_module() of 3.13–3.18: module_unload_init() holds a reference
 * on this CPU for the length of init; module_mutex is taken only to put the module on the
 * list; init runs without it; then the module goes LIVE and, under module_mutex, the
 * initial reference is dropped.
 */
export function* doInitModule(k: Kernel, mod: Module<ModuleRef>, init: () => StepGen, mutex: Mutex): StepGen<number> {
  /* Hold reference count during initialization. */
  yield* k.localInc(mod.priv.incs, k.rawSmpProcessorId()) // __this_cpu_write(mod->refptr->incs, 1)
  yield* k.mutexLock(mutex) // add_unformed_module(), complete_formation()
  yield* k.step() // list_add_rcu(&mod->list, &modules); mod->state = MODULE_STATE_COMING
  yield* k.mutexUnlock(mutex)
  yield* init() // do_one_initcall(mod->init)
  /* Now it's a first class citizen! */
  yield* k.setModuleState(mod, 'live')
  yield* k.mutexLock(mutex)
  /* Drop initial reference. */
  yield* modulePut(k, mod)
  yield* k.mutexUnlock(mutex)
  return 0
}

export default defineVariant<ModuleRef>({
  meta: {
    id: 'stop-machine',
    title: 'cpu_stop stop_machine in the stop class',
    authors: ['Tejun Heo', 'Peter Zijlstra', 'Rusty Russell'],
    date: '2010-10',
    kernels: '2.6.37–3.18 (module removal); stop_machine still in use',
    sources: [
      '1142d810298e cpu_stop: implement stop_cpu[s]() (Tejun Heo, 2010-05-06)',
      '3fc1f1e27a5b stop_machine: reimplement using cpu_stop (Tejun Heo, 2010-05-06)',
      '34f971f6f798 sched: Create special class for stop/migrate work (Peter Zijlstra)',
      'kernel/stop_machine.c @00bcf5cd: multi_cpu_stop, ack_state, set_state',
      'kernel/module.c 3.13–3.18: try_stop_module, __try_stop_module, module_refcount; free_module unlinks by stop_machine(__unlink_module) under module_mutex',
    ],
    fixed: 'persistent stoppers in the stop class: no thread creation per call, no RT hog can block the stop',
    broke: 'every removal still stops every online CPU, isolated ones included, twice',
  },
  migrationClass: 'stop',
  normalSched: 'cfs',

  boot(k) {
    const stoppers = k.onlineCpus().map((): CpuStopper => ({works: [], thread: null}))
    state.set(k, {stoppers, stopCpusMutex: k.mutex('stop_cpus_mutex'), moduleMutex: k.mutex('module_mutex')})
    for (const cpu of k.onlineCpus()) {
      // smpboot_register_percpu_thread(&cpu_stop_threads); sched_set_stop_task(cpu, p)
      stoppers[cpu].thread = k.bootThread(`stopper/${cpu}`, cpu, 'stop', 0, (kk) => cpuStopperThread(kk, cpu))
    }
  },

  moduleUnloadInit(k, mod, refs) {
    const ref: ModuleRef = {incs: k.perCpu('refptr->incs', mod), decs: k.perCpu('refptr->decs', mod)}
    ref.incs.values[0] = refs
    return ref
  },

  *tryModuleGet(k, mod) {
    yield* k.preemptDisable()
    let ret = true
    if (yield* k.moduleIsLive(mod)) {
      yield* k.localInc(mod.priv.incs, k.rawSmpProcessorId()) // __this_cpu_inc(refptr->incs)
    } else {
      ret = false
    }
    yield* k.preemptEnable()
    return ret
  },

  initModule: (k, mod, init) => doInitModule(k, mod, init, state(k).moduleMutex),
  modulePut,

  *deleteModule(k, mod, flags) {
    const s = state(k)
    yield* k.mutexLock(s.moduleMutex)
    if (mod.state !== 'live') {
      yield* k.mutexUnlock(s.moduleMutex)
      return EBUSY // already dying
    }
    if (flags.wait) k.log('waiting module removal not supported: please upgrade')
    // try_stop_module(): stop_machine(__try_stop_module, &sref, NULL)
    const sref: Stopref = {mod, flags, forced: false}
    const ret = yield* stopMachine(k, withArg(__try_stop_module, sref))
    if (ret !== 0) {
      yield* k.mutexUnlock(s.moduleMutex)
      return ret
    }
    yield* k.mutexUnlock(s.moduleMutex)
    yield* k.moduleExit(mod)
    yield* freeModule(k, mod, s.moduleMutex, stopMachine)
    return 0
  },

  stopMachine,
})
