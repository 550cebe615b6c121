/**
 * id:       isolcpu-skip-cpustop
 * title:    cpu_stop stop_machine that skips isolated CPUs
 * authors:  Max Krasnyansky, Tejun Heo, Rusty Russell
 * date:     2008-02
 * kernels:  never merged (the idea carried over to the cpu_stop stop_machine and the
 *           module.c of 3.13–3.18)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: an isolated CPU (isolcpus=) is never stopped. Its real-time task keeps running
 * through every module removal: no stopper preempts it, no held region, no latency spike.
 * Broke: the stop is what makes try_module_get() atomic against __try_stop_module(): a
 * getter is a preempt-disabled region, and a CPU running its stopper cannot be inside one.
 * An isolated CPU is not stopped, so a get there runs concurrently with the refcount check:
 *   - it reads live == true before the stopped CPUs mark the module GOING and increments
 *     its counter after the check has read it: the module is freed while it holds a
 *     reference and calls into it (freed-while-referenced, then use-after-free);
 *   - or its whole get lands between the read of its counter and the GOING store.
 * free_module's own stop_machine (the list unlink) skips it as well.
 *
 * Max's patch was against 2.6.24's stop_machine_run (./isolcpu-skip.ts models it); this
 * file asks what the same idea would do to the later cpu_stop stop_machine, whose stop
 * class no FIFO 99 task can keep out, so only the race remains. Everything but the CPU
 * mask is the cpu_stop stop_machine of ./stop-machine.ts, copied
 * here so that the file reads as the kernel would: persistent per-CPU stopper threads in
 * the stop class, multi_cpu_stop with decentralised acks. The stop_machine trace op uses
 * the same skipping stop_machine. module.c's side (the refcount, __try_stop_module,
 * free_module with its unlink, load and init) is 3.13–3.18's, taken from ./stop-machine.ts
 * unchanged.
 */
import {
  defineVariant,
  EBUSY,
  kernelState,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  type Completion,
  type Kernel,
  type Mutex,
  type StepGen,
  type StopFn,
  type Task,
  type Word,
  withArg,
} from '../src/api.ts'
import {__try_stop_module, doInitModule, freeModule, type ModuleRef, type Stopref} from './stop-machine.ts'

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
const state = kernelState<State>('isolcpu-skip-cpustop')

// enum multi_stop_state
const MULTI_STOP_NONE = 0
const MULTI_STOP_PREPARE = 1
const MULTI_STOP_DISABLE_IRQ = 2
const MULTI_STOP_RUN = 3
const MULTI_STOP_EXIT = 4

/** struct multi_stop_data. */
interface MultiStopData {
  readonly fn: StopFn
  /** The CPU that runs fn: the first CPU that is stopped. */
  readonly activeCpu: number
  readonly numThreads: number
  readonly state: Word
  readonly threadAck: Word
}

// ---- kernel/stop_machine.c, with isolated CPUs left out -------------------------------

/**
 * The CPUs a stop_machine() holds: cpu_online_mask without cpu_isolated_map. This one
 * mask is the whole of the idea.
 */
function stopMask(k: Kernel): number[] {
  return k.onlineCpus().filter((cpu) => !k.cpuIsolated(cpu))
}

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
  const isActive = k.rawSmpProcessorId() === msdata.activeCpu
  const wasOff = k.irqsDisabled() // local_save_flags()
  let curstate = MULTI_STOP_NONE
  let err = 0
  do {
    // cpu_relax() and READ_ONCE(msdata->state) until it changes
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
 * stop_cpus(): queue the work on every CPU of `cpus` with preemption disabled, so that
 * this CPU's stopper cannot preempt us before all the others are queued, then wait.
 */
function* stopCpus(k: Kernel, cpus: readonly number[], fn: StopFn): StepGen<number> {
  const s = state(k)
  yield* k.mutexLock(s.stopCpusMutex)
  const done: CpuStopDone = {nrTodo: k.word('done.nr_todo', cpus.length), ret: k.word('done.ret', 0), completion: k.completion()}
  yield* k.preemptDisable()
  for (const cpu of cpus) yield* cpuStopQueueWork(k, cpu, {fn, done})
  yield* k.preemptEnable()
  yield* k.waitForCompletion(done.completion, 'stop_cpus')
  yield* k.mutexUnlock(s.stopCpusMutex)
  return done.ret.value
}

/**
 * stop_machine(): run fn on the first stopped CPU while every online CPU that is not
 * isolated is held. The isolated ones keep running whatever they run.
 */
function* stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  const cpus = stopMask(k)
  if (!cpus.length) {
    // Nothing to stop (every CPU isolated): run fn here with interrupts off, as
    // stop_machine() does before the stoppers exist.
    const wasOff = yield* k.localIrqSave()
    const ret = yield* fn(k)
    yield* k.localIrqRestore(wasOff)
    return ret
  }
  const msdata: MultiStopData = {
    fn,
    activeCpu: cpus[0],
    numThreads: cpus.length,
    state: k.word('msdata.state', MULTI_STOP_NONE),
    threadAck: k.word('msdata.thread_ack', 0),
  }
  yield* setState(k, msdata, MULTI_STOP_PREPARE)
  return yield* stopCpus(k, cpus, withArg(multiCpuStop, msdata))
}

// ---- kernel/module.c (3.13–3.18): ./stop-machine.ts's, with this file's stop_machine ----

export default defineVariant<ModuleRef>({
  meta: {
    id: 'isolcpu-skip-cpustop',
    title: 'cpu_stop stop_machine that skips isolated CPUs',
    authors: ['Max Krasnyansky', 'Tejun Heo', 'Rusty Russell'],
    date: '2008-02',
    kernels: 'never merged (the idea carried over to the cpu_stop stop_machine and the module.c of 3.13–3.18)',
    sources: [
      'LKML 2008-02-13, Tejun Heo: Re: Module loading/unloading and "The Stop Machine", quoting Max Krasnyansky',
      'Max Krasnyansky, [CPUISOL] CPU isolation patch series, LKML, Jan 2008, against 2.6.24 (the patch itself not checked; never merged)',
      'kernel/stop_machine.c @00bcf5cd: multi_cpu_stop, stop_cpus; kernel/module.c 3.13–3.18',
    ],
    fixed: 'isolated CPUs are never stopped: no stall, no preemption of their real-time tasks',
    broke: 'a get on an isolated CPU is not quiesced: it races the refcount check, and the module is freed under it',
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

  /** try_module_get(): the test and the increment in one preempt-disabled region. */
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

  *modulePut(k, mod) {
    yield* k.preemptDisable()
    yield* k.mb() // smp_wmb(): see comment in module_refcount
    yield* k.localInc(mod.priv.decs, k.rawSmpProcessorId()) // __this_cpu_inc(refptr->decs)
    yield* k.preemptEnable()
  },

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
    yield* k.mutexUnlock(s.moduleMutex)
    if (ret !== 0) return ret
    yield* k.moduleExit(mod)
    yield* freeModule(k, mod, s.moduleMutex, stopMachine)
    return 0
  },

  stopMachine,
})
