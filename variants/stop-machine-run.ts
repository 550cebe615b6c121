/**
 * id:       stop-machine-run
 * title:    stop_machine_run: a FIFO 99 kstopmachine forks yield()ing stopmachine threads
 * authors:  Rusty Russell
 * date:     2004-03-09
 * kernels:  2.6.4–2.6.26 (modelled on 2.6.24)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: the stop moved out of module.c into kernel/stop_machine.c, behind one call,
 * stop_machine_run(fn, data, cpu), that runs fn with every CPU held. rmmod is never
 * touched (the stop runs in a kthread, "kstopmachine", raised to SCHED_FIFO 99), the
 * module's waiter is rmmod again (sys_delete_module sets it before the stop), a failed
 * __try_stop_module is returned, and mod->exit() runs without module_mutex (Andrea
 * Arcangeli's fix for the parport_pc deadlock, Feb 2004).
 * Broke / left broken: the stopmachine threads are FIFO 99 and wait for each other with
 * yield(). yield() among FIFO 99 tasks is a round robin within priority 99: a stopper
 * yields only to other FIFO 99 tasks, so every CPU whose stopper has arrived is
 * monopolised by it, and a CPU running a FIFO 99 task that never sleeps never lets its
 * stopper run at all. Until that task gives up its CPU, the stop never starts and every
 * other CPU spins in yield() at priority 99: nothing below FIFO 99 runs anywhere, the box
 * hangs (Max Krasnyansky, 2008). Every call forks the threads anew, and every removal
 * stops the machine twice (the refcount check and free_module's unlink).
 *
 * Modelled: kernel/stop_machine.c and the module removal of kernel/module.c as of 2.6.24.
 * kthread_create() goes through kthreadd (2.6.22+; keventd before). 2.6.4 differs in
 * three places the model leaves out: kstopmachine raised itself to FIFO 99 inside
 * stop_machine() (set_fs(KERNEL_DS) and sys_sched_setscheduler) instead of
 * __stop_machine_run() doing it before the wake; it took lock_cpu_hotplug() (the
 * cpucontrol semaphore) rather than get_online_cpus(); and its do_stop() checked
 * kthread_should_stop() before setting TASK_INTERRUPTIBLE, the lost wakeup fixed in
 * 2.6.5. The trace's `stop_machine` op is stop_machine_run(fn, data, NR_CPUS).
 */
import {
  defineVariant,
  EBUSY,
  EWOULDBLOCK,
  kernelState,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type Completion,
  type DeleteFlags,
  type Kernel,
  type Module,
  type Mutex,
  type PerCpuWord,
  type StepGen,
  type StopFn,
  type Task,
  type Variant,
  type Word,
  withArg,
} from '../src/api.ts'

/** The unload part of struct module: ref[NR_CPUS].count (local_t) and the waiter. */
export interface ModuleUnload {
  readonly ref: PerCpuWord
  /** The task that module_put() wakes once the module is not live. */
  waiter: Task | null
}

/** module.c's static state for one run (shared by the variants on 2.6.4–2.6.28's module.c). */
interface ModuleState {
  readonly moduleMutex: Mutex
}
const moduleState = kernelState<ModuleState>('module.c 2.6.4–2.6.28')

/** stop_machine.c's static state for one run. */
interface State {
  /** static DEFINE_MUTEX(stopmachine_mutex) in __stop_machine_run() */
  readonly stopmachineMutex: Mutex
  /** static atomic_t stopmachine_thread_ack */
  readonly stopmachineThreadAck: Word
  /** static unsigned int stopmachine_num_threads (only kstopmachine touches it) */
  stopmachineNumThreads: number
  /** static enum stopmachine_state stopmachine_state */
  readonly stopmachineState: Word
}
const state = kernelState<State>('stop-machine-run')

/** An era's stop_machine(fn, data, ...) as module.c calls it: fn's result. */
export type StopMachine = (k: Kernel, fn: StopFn) => StepGen<number>

/**
 * Which CPUs get a stopmachine thread: every online CPU but kstopmachine's own. The one
 * place isolcpu-skip (Max Krasnyansky's patch) changes.
 */
export type StopCpus = (k: Kernel, self: number) => number[]

// ---- kernel/stop_machine.c (2.6.24) ----------------------------------------------------

// enum stopmachine_state
const STOPMACHINE_WAIT = 0
const STOPMACHINE_PREPARE = 1
const STOPMACHINE_DISABLE_IRQ = 2
const STOPMACHINE_EXIT = 3
const STOPMACHINE_NAMES = ['STOPMACHINE_WAIT', 'STOPMACHINE_PREPARE', 'STOPMACHINE_DISABLE_IRQ', 'STOPMACHINE_EXIT']

/** stopmachine(): the thread that holds CPU `cpu` for kstopmachine. */
function* stopmachine(k: Kernel, cpu: number): StepGen<number> {
  const s = state(k)
  let irqsDisabled = false
  let prepared = false

  yield* k.setCpusAllowed(k.current, [cpu]) // set_cpus_allowed(current, cpumask_of_cpu(cpu))

  /* Ack: we are alive */
  yield* k.mb() // smp_mb(): Theoretically the ack = 0 might not be on this CPU yet.
  yield* k.atomicInc(s.stopmachineThreadAck)

  /* Simple state machine */
  for (;;) {
    const st = yield* k.atomicRead(s.stopmachineState) // while (stopmachine_state != STOPMACHINE_EXIT)
    if (st === STOPMACHINE_EXIT) break
    if (st === STOPMACHINE_DISABLE_IRQ && !irqsDisabled) {
      yield* k.localIrqDisable()
      yield* k.hardIrqDisable()
      irqsDisabled = true
      /* Ack: irqs disabled. */
      yield* k.mb() // smp_mb(): Must read state first.
      yield* k.atomicInc(s.stopmachineThreadAck)
    } else if (st === STOPMACHINE_PREPARE && !prepared) {
      /* Everyone is in place, hold CPU. */
      yield* k.preemptDisable()
      prepared = true
      yield* k.mb() // smp_mb(): Must read state first.
      yield* k.atomicInc(s.stopmachineThreadAck)
    }
    /* Yield in first stage: migration threads need to help our sisters onto their CPUs. */
    // if (!prepared && !irqs_disabled) yield(); else cpu_relax();  until the state moves on
    if (!prepared && !irqsDisabled) yield* k.yieldUntil([s.stopmachineState], () => s.stopmachineState.value !== st)
    else yield* k.spinUntil([s.stopmachineState], () => s.stopmachineState.value !== st)
  }

  /* Ack: we are exiting. */
  yield* k.mb() // smp_mb(): Must read state first.
  yield* k.atomicInc(s.stopmachineThreadAck)

  if (irqsDisabled) yield* k.localIrqEnable()
  if (prepared) yield* k.preemptEnable()

  return 0
}

/** stopmachine_set_state(): change the thread state, then spin until every thread acked it. */
function* stopmachineSetState(k: Kernel, newState: number): StepGen {
  const s = state(k)
  yield* k.atomicSet(s.stopmachineThreadAck, 0)
  yield* k.mb() // smp_wmb()
  yield* k.atomicSet(s.stopmachineState, newState)
  k.log(`stopmachine_state = ${STOPMACHINE_NAMES[newState]}`)
  // while (atomic_read(&stopmachine_thread_ack) != stopmachine_num_threads) cpu_relax();
  yield* k.spinUntil([s.stopmachineThreadAck], () => s.stopmachineThreadAck.value === s.stopmachineNumThreads)
}

/** stop_machine(): kstopmachine forks a thread for each other CPU and holds them all. */
function* stopMachineLocal(k: Kernel, stopCpus: StopCpus): StepGen<number> {
  const s = state(k)
  let ret = 0

  yield* k.atomicSet(s.stopmachineThreadAck, 0)
  s.stopmachineNumThreads = 0
  yield* k.step()
  yield* k.atomicSet(s.stopmachineState, STOPMACHINE_WAIT)

  for (const i of stopCpus(k, k.rawSmpProcessorId())) {
    // kernel_thread(stopmachine, (void *)(long)i, CLONE_KERNEL): a fork of kstopmachine
    // (FIFO 99, bound to this CPU, comm "kstopmachine"), queued on this CPU; its pid
    ret = (yield* k.kernelThread((kk) => stopmachine(kk, i), 'kstopmachine')).id
    if (ret < 0) break
    s.stopmachineNumThreads++
  }

  /* Wait for them all to come to life. */
  // while (atomic_read(&stopmachine_thread_ack) != stopmachine_num_threads) yield();
  yield* k.yieldUntil([s.stopmachineThreadAck], () => s.stopmachineThreadAck.value === s.stopmachineNumThreads)

  /* If some failed, kill them all. */
  if (ret < 0) {
    yield* stopmachineSetState(k, STOPMACHINE_EXIT)
    return ret
  }

  /* Now they are all started, make them hold the CPUs, ready. */
  yield* k.preemptDisable()
  yield* stopmachineSetState(k, STOPMACHINE_PREPARE)

  /* Make them disable irqs. */
  yield* k.localIrqDisable()
  yield* k.hardIrqDisable()
  yield* stopmachineSetState(k, STOPMACHINE_DISABLE_IRQ)

  return 0
}

/** restart_machine(): let the threads go, then this CPU. */
function* restartMachine(k: Kernel): StepGen {
  yield* stopmachineSetState(k, STOPMACHINE_EXIT)
  yield* k.localIrqEnable()
  yield* k.preemptEnableNoResched()
}

/** struct stop_machine_data. */
interface StopMachineData {
  readonly fn: StopFn
  readonly done: Completion
}

/** do_stop(): kstopmachine's body. Stops the machine, runs fn, waits for kthread_stop. */
function* doStop(k: Kernel, smdata: StopMachineData, stopCpus: StopCpus): StepGen<number> {
  let ret = yield* stopMachineLocal(k, stopCpus)
  if (ret === 0) {
    ret = yield* smdata.fn(k)
    yield* restartMachine(k)
  }

  /* We're done: you can kthread_stop us now */
  yield* k.complete(smdata.done)

  /* Wait for kthread_stop */
  yield* k.setCurrentState(TASK_INTERRUPTIBLE)
  while (!(yield* k.kthreadShouldStop())) {
    yield* k.schedule('wait for kthread_stop')
    yield* k.setCurrentState(TASK_INTERRUPTIBLE)
  }
  k.current.state = TASK_RUNNING // __set_current_state(TASK_RUNNING)
  return ret
}

/** __stop_machine_run(): create kstopmachine at FIFO 99 on this CPU, wake it, wait until fn ran. */
function* __stopMachineRun(k: Kernel, fn: StopFn, stopCpus: StopCpus): StepGen<Task> {
  const s = state(k)
  const smdata: StopMachineData = {fn, done: k.completion()}

  yield* k.mutexLock(s.stopmachineMutex)

  /* If they don't care which CPU fn runs on, bind to any online one. */
  const cpu = k.rawSmpProcessorId() // cpu == NR_CPUS

  const p = yield* k.kthreadCreate((kk) => doStop(kk, smdata, stopCpus), 'kstopmachine')
  // IS_ERR(p): kthread_create cannot fail in the model
  /* One high-prio thread per cpu.  We'll do this one. */
  yield* k.schedSetscheduler(p, 'fifo', 99) // sched_setscheduler(p, SCHED_FIFO, {MAX_RT_PRIO-1})
  yield* k.kthreadBind(p, cpu)
  yield* k.wakeUpProcess(p)
  yield* k.waitForCompletion(smdata.done, 'stop_machine_run', p)
  yield* k.mutexUnlock(s.stopmachineMutex)
  return p
}

/**
 * stop_machine_run(fn, data, NR_CPUS): fn runs in kstopmachine on this CPU while every
 * CPU of `stopCpus` is held; returns fn's result (through kthread_stop).
 */
export function* stopMachineRun(k: Kernel, fn: StopFn, stopCpus: StopCpus = otherOnlineCpus): StepGen<number> {
  /* No CPUs can come up or down during this. */
  yield* k.step() // get_online_cpus()
  const p = yield* __stopMachineRun(k, fn, stopCpus)
  const ret = yield* k.kthreadStop(p)
  yield* k.step() // put_online_cpus()
  return ret
}

/** for_each_online_cpu(i) if (i == raw_smp_processor_id()) continue; */
function otherOnlineCpus(k: Kernel, self: number): number[] {
  return k.onlineCpus().filter((i) => i !== self)
}

// ---- kernel/module.c (2.6.24) ------------------------------------------------------------

/** module_refcount(): sums every CPU's counter with plain reads, no lock. */
function* moduleRefcount(k: Kernel, mod: Module<ModuleUnload>): StepGen<number> {
  let total = 0
  for (const i of k.onlineCpus()) total += yield* k.localRead(mod.priv.ref, i) // for_each_possible_cpu(i)
  return total
}

/** try_force_unload(): O_TRUNC forces, with CONFIG_MODULE_FORCE_UNLOAD=y; it taints the kernel. */
function tryForceUnload(k: Kernel, flags: DeleteFlags): boolean {
  const ret = flags.force // flags & O_TRUNC
  if (ret) k.log('add_taint(TAINT_FORCED_RMMOD)')
  return ret
}

/** struct stopref: what __try_stop_module() is handed. */
interface Stopref {
  readonly mod: Module<ModuleUnload>
  readonly flags: DeleteFlags
  forced: boolean
}

/** __try_stop_module(): with the whole machine stopped, test the count and mark the module dying. */
function* __tryStopModule(k: Kernel, sref: Stopref): StepGen<number> {
  /* If it's not unused, quit unless we are told to block. */
  if (!sref.flags.wait && (yield* moduleRefcount(k, sref.mod)) !== 0) {
    sref.forced = tryForceUnload(k, sref.flags)
    if (!sref.forced) return EWOULDBLOCK
  }

  /* Mark it as dying. */
  yield* k.setModuleState(sref.mod, 'going')
  return 0
}

/**
 * wait_for_zero_refcount(): unkillable (D state) sleep, module_mutex released, until the
 * count of `mod` (`refcount`, module_refcount()) reads 0; module_put() on a dying module
 * wakes it.
 */
export function* waitForZeroRefcount(k: Kernel, moduleMutex: Mutex, mod: Module, refcount: () => StepGen<number>): StepGen {
  /* Since we might sleep for some time, release the mutex first */
  yield* k.mutexUnlock(moduleMutex)
  for (;;) {
    yield* k.setCurrentState(TASK_UNINTERRUPTIBLE)
    if ((yield* refcount()) === 0) break
    yield* k.schedule('wait_for_zero_refcount', mod)
  }
  k.current.state = TASK_RUNNING
  yield* k.mutexLock(moduleMutex)
}

/**
 * sys_delete_module() of 2.6.4–2.6.28, parameterised by the era's stop_machine: the module
 * code isolcpu-skip and stop-machine-kthreads share.
 */
export function* sysDeleteModule(k: Kernel, mod: Module<ModuleUnload>, flags: DeleteFlags, stop: StopMachine): StepGen<number> {
  const s = moduleState(k)

  yield* k.mutexLock(s.moduleMutex) // mutex_lock_interruptible(&module_mutex)

  // find_module(name) found mod; list_empty(&mod->modules_which_use_me) holds here.

  /* Doing init or already dying? */
  if (mod.state !== 'live') {
    yield* k.mutexUnlock(s.moduleMutex)
    return EBUSY
  }

  /* Set this up before setting mod->state */
  mod.priv.waiter = k.current
  yield* k.step()

  /* Stop the machine so refcounts can't move and disable module. */
  const sref: Stopref = {mod, flags, forced: false}
  const ret = yield* stop(k, withArg(__tryStopModule, sref)) // try_stop_module()
  if (ret !== 0) {
    yield* k.mutexUnlock(s.moduleMutex) // goto out
    return ret
  }

  /* Never wait if forced. */
  if (!sref.forced && (yield* moduleRefcount(k, mod)) !== 0) yield* waitForZeroRefcount(k, s.moduleMutex, mod, () => moduleRefcount(k, mod))

  yield* k.mutexUnlock(s.moduleMutex)
  /* Final destruction now noone is using it. */
  yield* k.moduleExit(mod) // mod->exit(), then the MODULE_STATE_GOING notifiers
  yield* k.mutexLock(s.moduleMutex)
  // free_module(): stop_machine_run(__unlink_module, mod, NR_CPUS), then the memory
  yield* stop(k, listUpdate)
  yield* k.freeModule(mod)

  yield* k.mutexUnlock(s.moduleMutex) // out:
  return ret
}

/** __link_module() / __unlink_module(): list_add / list_del on the module list, under the stop. */
function* listUpdate(k: Kernel): StepGen<number> {
  yield* k.step()
  return 0
}

/**
 * sys_init_module() of 2.6.4–2.6.28: load_module() under module_mutex, whose
 * module_unload_init() holds a reference on this CPU for the length of init, and which
 * sews the module into the list with `link`; the mutex is dropped so that init can
 * recurse, then, under it again, the module goes LIVE and that reference is dropped.
 */
export function* sysInitModule(
  k: Kernel,
  mod: Module<ModuleUnload>,
  init: () => StepGen,
  moduleMutex: Mutex,
  link: (k: Kernel) => StepGen<number>,
): StepGen<number> {
  yield* k.mutexLock(moduleMutex) // mutex_lock_interruptible(&module_mutex)
  // load_module() → module_unload_init():
  /* Hold reference count during initialization. */
  yield* k.localInc(mod.priv.ref, k.rawSmpProcessorId()) // local_set(&mod->ref[raw_smp_processor_id()].count, 1)
  mod.priv.waiter = k.current
  /* Now sew it into the lists.  They won't access us, since strong_try_module_get() will fail. */
  yield* link(k)
  /* Drop lock so they can recurse */
  yield* k.mutexUnlock(moduleMutex)
  /* Start the module */
  yield* init()
  /* Now it's a first class citizen! */
  yield* k.mutexLock(moduleMutex)
  yield* k.setModuleState(mod, 'live')
  /* Drop initial reference. */
  yield* localRefcount.modulePut(k, mod)
  yield* k.mutexUnlock(moduleMutex)
  return 0
}

/** The era's initModule, linking the module under `stop` (stop_machine_run(__link_module)). */
export function initModuleStopping(stop: StopMachine): NonNullable<Variant<ModuleUnload>['initModule']> {
  return (k, mod, init) => sysInitModule(k, mod, init, moduleState(k).moduleMutex, (kk) => stop(kk, listUpdate))
}

/** Boot-time state of module.c: module_mutex. */
export function bootModuleC(k: Kernel): void {
  moduleState.set(k, {moduleMutex: k.mutex('module_mutex')})
}

/** Boot-time state: module_mutex, and stop_machine.c's mutex and globals. */
export function bootStopMachineRun(k: Kernel): void {
  bootModuleC(k)
  state.set(k, {
    stopmachineMutex: k.mutex('stopmachine_mutex'),
    stopmachineThreadAck: k.word('stopmachine_thread_ack', 0),
    stopmachineNumThreads: 0,
    stopmachineState: k.word('stopmachine_state', STOPMACHINE_WAIT),
  })
}

/** The refcount and get/put of 2.6.4–2.6.28: local_t ref[NR_CPUS] under get_cpu(). */
export const localRefcount = {
  moduleUnloadInit(k: Kernel, mod: Module<ModuleUnload>, refs: number): ModuleUnload {
    // module_unload_init(): every counter zeroed; the references the trace says are held
    // sit on CPU 0's counter
    const ref = k.perCpu('ref[].count', mod)
    ref.values[0] = refs
    return {ref, waiter: null}
  },

  /** try_module_get(): the test and the increment in one get_cpu()/put_cpu() region. */
  *tryModuleGet(k: Kernel, mod: Module<ModuleUnload>): StepGen<boolean> {
    let ret = true
    const cpu = yield* k.getCpu()
    if (yield* k.moduleIsLive(mod)) {
      yield* k.localInc(mod.priv.ref, cpu) // local_inc(&module->ref[cpu].count)
    } else {
      ret = false
    }
    yield* k.putCpu()
    return ret
  },

  /** module_put(): the decrement, and a wakeup for the waiter once the module is not live. */
  *modulePut(k: Kernel, mod: Module<ModuleUnload>): StepGen {
    const cpu = yield* k.getCpu()
    yield* k.localDec(mod.priv.ref, cpu) // local_dec(&module->ref[cpu].count)
    /* Maybe they're waiting for us to drop reference? */
    if (!(yield* k.moduleIsLive(mod))) {
      const waiter = mod.priv.waiter
      if (waiter !== null) yield* k.wakeUpProcess(waiter)
    }
    yield* k.putCpu()
  },
}

export default defineVariant<ModuleUnload>({
  meta: {
    id: 'stop-machine-run',
    title: 'stop_machine_run: a FIFO 99 kstopmachine forks yield()ing stopmachine threads',
    authors: ['Rusty Russell'],
    date: '2004-03-09',
    kernels: '2.6.4–2.6.26 (modelled on 2.6.24)',
    sources: [
      '80037662455b "stop_machine_run: Move Bogolock Code Out of module.c" and 1af452e4a4cb "make module code use stop_machine.c" (Rusty Russell), listed in the "Linux 2.6.4-rc3" announcement, LKML, 9 Mar 2004',
      'Andrea Arcangeli and Rusty Russell, "module unload deadlock", LKML, 17–18 Feb 2004 (mod->exit() outside module_mutex)',
      'Brian Gerst, Jan 2006: sched_setscheduler() instead of sys_sched_setscheduler() for kstopmachine',
      'kernel/stop_machine.c and kernel/module.c of 2.6.24: stopmachine, stopmachine_set_state, stop_machine, restart_machine, do_stop, __stop_machine_run, stop_machine_run; __try_stop_module, try_stop_module, wait_for_zero_refcount, sys_delete_module, free_module',
    ],
    fixed: 'one stop_machine_run() for every user; rmmod untouched and its waiter again; the stop result checked; exit() outside module_mutex',
    broke: 'FIFO 99 stoppers that yield() to each other: a FIFO 99 task that never sleeps keeps its CPU\'s stopper out, and every other CPU spins at priority 99 meanwhile (the box hangs); threads forked on every call',
  },
  migrationClass: 'fifo',
  normalSched: 'cfs',

  boot: bootStopMachineRun,
  initModule: initModuleStopping(stopMachineRun),
  ...localRefcount,
  deleteModule: (k, mod, flags) => sysDeleteModule(k, mod, flags, stopMachineRun),
  stopMachine: (k, fn) => stopMachineRun(k, fn),
})
