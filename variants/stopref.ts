/**
 * id:       stopref
 * title:    stop_refcounts: SCHED_NORMAL stopper threads forked from rmmod's context
 * authors:  Rusty Russell
 * date:     2002-11
 * kernels:  2.5.4x–2.6.3 (modelled: 2.6.0)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: try_module_get()/module_put() cost only get_cpu() and a CPU-local increment: no
 * lock and no shared cache line on the fast path. All the synchronisation is on the rare
 * removal side, which parks a thread on every other CPU with preemption and interrupts
 * off, so that no CPU can be inside a get or put while the counters are summed.
 * Broke / left broken: the stop runs in the caller's context. rmmod pins itself to the
 * CPU it happens to be on and never restores its mask (an affinity set by anyone before
 * that point is silently lost, and rmmod stays on one CPU for good). The stopper threads
 * are forks of rmmod, so they stay SCHED_NORMAL (the FIFO raise is `#if 0 FIXME`) and wait
 * with yield(): any RT task, or a crowd of normal ones, on one CPU delays the stop for as
 * long as it runs, and if it preempts a stopper between its alive ack and PREPARE, every
 * other CPU spins with preemption disabled for that whole time.
 *
 * Modelled: sys_delete_module of 2.6.0 with O_NONBLOCK (the trace's default) or without it
 * (`wait: true`: the unkillable wait_for_zero_refcount), and mod->exit() under module_mutex.
 * Every module has an exit function here (the trace format cannot say otherwise), and no
 * module uses another, so those two -EBUSY/-EWOULDBLOCK checks never fire. kernel_thread()
 * cannot fail in the model. The era has no generic stop_machine: the trace's
 * `stop_machine` op runs its handler between stop_refcounts() and restart_refcounts(),
 * under module_mutex, which is what serialises the stopref globals (and it pins the
 * caller just as rmmod is pinned).
 */
import {
  defineVariant,
  EBUSY,
  EWOULDBLOCK,
  kernelState,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type DeleteFlags,
  type Kernel,
  type Module,
  type Mutex,
  type PerCpuWord,
  type StepGen,
  type StopFn,
  type Task,
  type Word,
} from '../src/api.ts'

/** The unload part of struct module: ref[NR_CPUS].count (local_t) and the waiter. */
interface ModuleUnload {
  readonly ref: PerCpuWord
  /** The task that module_put() wakes once the module is not live. */
  waiter: Task | null
}

/** module.c's stopref globals (2.6.0–2.6.3), which krmmod's module.c keeps too. */
export interface StoprefGlobals {
  /** atomic_t stopref_thread_ack */
  readonly stoprefThreadAck: Word
  /** static int stopref_num_threads (only the initiator touches it) */
  stoprefNumThreads: number
  /** static enum stopref_state stopref_state */
  readonly stoprefState: Word
}

/** The kernel's static state for one run: the semaphores and the stopref globals. */
interface State extends StoprefGlobals {
  readonly moduleMutex: Mutex
  readonly cpucontrol: Mutex
}
const state = kernelState<State>('stopref')

// ---- kernel/module.c (2.6.0) ----------------------------------------------------------

// enum stopref_state
export const STOPREF_WAIT = 0
export const STOPREF_PREPARE = 1
export const STOPREF_DISABLE_IRQ = 2
export const STOPREF_EXIT = 3
const STOPREF_NAMES = ['STOPREF_WAIT', 'STOPREF_PREPARE', 'STOPREF_DISABLE_IRQ', 'STOPREF_EXIT']

/** The kmodule%lu thread of stop_refcounts(): stopref() as 2.6.0 starts it. */
function* kmodule(k: Kernel, cpu: number): StepGen<number> {
  yield* k.step() // sprintf(current->comm, "kmodule%lu\n", cpu): the stray \n is in the source

  /* Highest priority we can manage, and move to right CPU. */
  // #if 0 /* FIXME */ setscheduler(current->pid, SCHED_FIFO, MAX_RT_PRIO-1) #endif:
  // never compiled, so the thread keeps the policy it was forked with (rmmod's).
  return yield* stopref(k, state(k), cpu)
}

/**
 * stopref() from its move to CPU `cpu` on: the thread that holds that CPU for the
 * initiator, following the state `s` sets (shared with krmmod's module.c).
 */
export function* stopref(k: Kernel, s: StoprefGlobals, cpu: number): StepGen<number> {
  let irqsDisabled = false
  let prepared = false

  yield* k.setCpusAllowed(k.current, [cpu])

  /* Ack: we are alive */
  yield* k.mb() // Theoretically the ack = 0 might not be on this CPU yet.
  yield* k.atomicInc(s.stoprefThreadAck)

  /* Simple state machine */
  for (;;) {
    const st = yield* k.atomicRead(s.stoprefState) // while (stopref_state != STOPREF_EXIT)
    if (st === STOPREF_EXIT) break
    if (st === STOPREF_DISABLE_IRQ && !irqsDisabled) {
      yield* k.localIrqDisable()
      irqsDisabled = true
      /* Ack: irqs disabled. */
      yield* k.mb() // Must read state first.
      yield* k.atomicInc(s.stoprefThreadAck)
    } else if (st === STOPREF_PREPARE && !prepared) {
      /* Everyone is in place, hold CPU. */
      yield* k.preemptDisable()
      prepared = true
      yield* k.mb() // Must read state first.
      yield* k.atomicInc(s.stoprefThreadAck)
    }
    // if (irqs_disabled || prepared) cpu_relax(); else yield();  round the loop until the state moves on
    if (irqsDisabled || prepared) yield* k.spinUntil([s.stoprefState], () => s.stoprefState.value !== st)
    else yield* k.yieldUntil([s.stoprefState], () => s.stoprefState.value !== st)
  }

  /* Ack: we are exiting. */
  yield* k.mb() // Must read state first.
  yield* k.atomicInc(s.stoprefThreadAck)

  if (irqsDisabled) yield* k.localIrqEnable()
  if (prepared) yield* k.preemptEnable()

  return 0
}

/** stopref_set_state(): change state, then wait until every stopref thread acked it. */
export function* stoprefSetState(k: Kernel, s: StoprefGlobals, newState: number, sleep: boolean): StepGen {
  yield* k.atomicSet(s.stoprefThreadAck, 0)
  yield* k.mb() // wmb()
  yield* k.atomicSet(s.stoprefState, newState) // stopref_state = state
  k.log(`stopref_state = ${STOPREF_NAMES[newState]}`)
  // while (atomic_read(&stopref_thread_ack) != stopref_num_threads) { if (sleep) yield(); else cpu_relax(); }
  const done = () => s.stoprefThreadAck.value === s.stoprefNumThreads
  if (sleep) yield* k.yieldUntil([s.stoprefThreadAck], done)
  else yield* k.spinUntil([s.stoprefThreadAck], done)
}

/** stop_refcounts(): stop the machine. Disables irqs. Runs in the caller's (rmmod's) context. */
function* stopRefcounts(k: Kernel): StepGen<number> {
  const s = state(k)
  let ret = 0

  /* One thread per cpu.  We'll do our own. */
  const cpu = yield* k.smpProcessorId() // preemption is enabled: stale as soon as it is read

  /* FIXME: racy with set_cpus_allowed. */
  const oldAllowed = [...k.cpusAllowed(k.current)] // old_allowed = current->cpus_allowed
  yield* k.step()
  yield* k.setCpusAllowed(k.current, [cpu]) // set_cpus_allowed(current, cpumask_of_cpu(cpu))
  // old_allowed is never used again: nothing restores the caller's mask.
  k.log(`stop_refcounts: cpus_allowed ${oldAllowed.join(',')} -> ${cpu} (old_allowed never restored)`)

  yield* k.atomicSet(s.stoprefThreadAck, 0)
  s.stoprefNumThreads = 0
  yield* k.step()
  yield* k.atomicSet(s.stoprefState, STOPREF_WAIT)

  /* No CPUs can come up or down during this. */
  yield* k.mutexLock(s.cpucontrol) // down(&cpucontrol)

  for (const i of k.onlineCpus()) {
    if (i === cpu) continue // for (i = 0; i < NR_CPUS; i++) if (i == cpu || !cpu_online(i)) continue;
    // kernel_thread(stopref, i, CLONE_KERNEL): a fork of current (policy, priority,
    // cpus_allowed), queued on this CPU; returns its pid
    ret = (yield* k.kernelThread((kk) => kmodule(kk, i), `kmodule${i}`)).id
    if (ret < 0) break
    s.stoprefNumThreads++
  }

  /* Wait for them all to come to life. */
  // while (atomic_read(&stopref_thread_ack) != stopref_num_threads) yield();
  yield* k.yieldUntil([s.stoprefThreadAck], () => s.stoprefThreadAck.value === s.stoprefNumThreads)

  /* If some failed, kill them all. */
  if (ret < 0) {
    yield* stoprefSetState(k, s, STOPREF_EXIT, true)
    yield* k.mutexUnlock(s.cpucontrol) // up(&cpucontrol)
    return ret
  }

  /* Don't schedule us away at this point, please. */
  yield* k.preemptDisable()

  /* Now they are all scheduled, make them hold the CPUs, ready. */
  yield* stoprefSetState(k, s, STOPREF_PREPARE, false)

  /* Make them disable irqs. */
  yield* stoprefSetState(k, s, STOPREF_DISABLE_IRQ, false)

  yield* k.localIrqDisable()
  return 0
}

/** restart_refcounts(): restart the machine. Re-enables irqs; the caller stays pinned. */
function* restartRefcounts(k: Kernel): StepGen {
  const s = state(k)
  yield* stoprefSetState(k, s, STOPREF_EXIT, false)
  yield* k.localIrqEnable()
  yield* k.preemptEnable()
  yield* k.mutexUnlock(s.cpucontrol) // up(&cpucontrol)
}

/** module_refcount(): sums every CPU's counter with plain reads, no lock. */
function* moduleRefcount(k: Kernel, mod: Module<ModuleUnload>): StepGen<number> {
  let total = 0
  for (const i of k.onlineCpus()) total += yield* k.localRead(mod.priv.ref, i) // for (i = 0; i < NR_CPUS; i++)
  return total
}

/** try_force(): O_TRUNC forces, with CONFIG_MODULE_FORCE_UNLOAD=y; it taints the kernel. */
function tryForce(k: Kernel, flags: DeleteFlags): boolean {
  const ret = flags.force // flags & O_TRUNC
  if (ret) k.log('tainted |= TAINT_FORCED_MODULE')
  return ret
}

/** wait_for_zero_refcount(): unkillable (D state) sleep until the summed count reads 0. */
function* waitForZeroRefcount(k: Kernel, mod: Module<ModuleUnload>): StepGen {
  const s = state(k)
  /* Since we might sleep for some time, drop the semaphore first */
  yield* k.mutexUnlock(s.moduleMutex) // up(&module_mutex)
  for (;;) {
    yield* k.setCurrentState(TASK_UNINTERRUPTIBLE)
    if ((yield* moduleRefcount(k, mod)) === 0) break
    yield* k.schedule('wait_for_zero_refcount', mod)
  }
  k.current.state = TASK_RUNNING
  yield* k.mutexLock(s.moduleMutex) // down(&module_mutex)
}

/** free_module(): off the module list under modlist_lock, then its memory is freed. */
function* freeModule(k: Kernel, mod: Module<ModuleUnload>): StepGen {
  /* Delete from various lists */
  yield* k.localIrqDisable() // spin_lock_irq(&modlist_lock)
  yield* k.step() // list_del(&mod->list)
  yield* k.localIrqEnable() // spin_unlock_irq(&modlist_lock)
  // module_arch_cleanup, module_unload_free, module_free(init), module_free(core)
  yield* k.freeModule(mod)
}

/**
 * The trace's `stop_machine` op: the era has no stop_machine, so its handler runs where
 * __try_stop_module's test would, between stop_refcounts() and restart_refcounts().
 */
function* stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  const s = state(k)
  yield* k.mutexLock(s.moduleMutex) // the stopref globals are module_mutex's
  let ret = yield* stopRefcounts(k)
  if (ret === 0) {
    ret = yield* fn(k)
    yield* restartRefcounts(k)
  }
  yield* k.mutexUnlock(s.moduleMutex)
  return ret
}

/**
 * sys_init_module(): load_module() under module_mutex, whose module_unload_init() holds a
 * reference on this CPU for the length of init; the mutex is dropped so that init can
 * recurse, then, under it again, the module goes LIVE and that reference is dropped.
 */
function* sysInitModule(k: Kernel, mod: Module<ModuleUnload>, init: () => StepGen): StepGen<number> {
  const s = state(k)
  yield* k.mutexLock(s.moduleMutex) // down_interruptible(&module_mutex)
  // load_module() → module_unload_init():
  /* Hold reference count during initialization. */
  yield* k.localInc(mod.priv.ref, k.rawSmpProcessorId()) // mod->ref[smp_processor_id()].count = 1
  mod.priv.waiter = k.current
  /* Now sew it into the lists. */
  yield* k.localIrqDisable() // spin_lock_irq(&modlist_lock)
  yield* k.step() // list_add(&mod->list, &modules)
  yield* k.localIrqEnable()
  /* Drop lock so they can recurse */
  yield* k.mutexUnlock(s.moduleMutex)
  /* Start the module */
  yield* init()
  /* Now it's a first class citizen! */
  yield* k.mutexLock(s.moduleMutex)
  yield* k.setModuleState(mod, 'live')
  /* Drop initial reference. */
  yield* modulePut(k, mod)
  yield* k.mutexUnlock(s.moduleMutex)
  return 0
}

/** module_put(): the decrement; once the module is not live, a wakeup for its waiter. */
function* modulePut(k: Kernel, mod: Module<ModuleUnload>): StepGen {
  const cpu = yield* k.getCpu()
  yield* k.localDec(mod.priv.ref, cpu) // local_dec(&module->ref[cpu].count)
  /* Maybe they're waiting for us to drop reference? */
  if (!(yield* k.moduleIsLive(mod))) {
    const waiter = mod.priv.waiter
    if (waiter !== null) yield* k.wakeUpProcess(waiter)
  }
  yield* k.putCpu()
}

export default defineVariant<ModuleUnload>({
  meta: {
    id: 'stopref',
    title: "stop_refcounts: SCHED_NORMAL stopper threads forked from rmmod's context",
    authors: ['Rusty Russell'],
    date: '2002-11',
    kernels: '2.5.4x–2.6.3 (modelled: 2.6.0)',
    sources: [
      'kernel/module.c 2.6.0: stop_refcounts, stopref, stopref_set_state, restart_refcounts, sys_delete_module',
      'include/linux/module.h 2.6.0: try_module_get, module_put',
      "Rusty Russell, \"Rusty's Unreliable Guide To The 2.5 Module Locking Implementation (draft)\", LKML, 17 Jan 2003",
      'cpumask_t conversion against 2.5.62 (Feb 2003): old_allowed saved, never restored',
      'Rusty Russell, "[PATCH 2/2] Module removal to use kthread", LKML, 30 Jan 2004 (what it replaces and why)',
    ],
    fixed: 'refcount get/put is a CPU-local increment under get_cpu(): no lock, no shared cache line',
    broke:
      "the stop runs in rmmod's context: rmmod's affinity is clobbered and never restored, and the SCHED_NORMAL stoppers can be starved by any RT task (machine-wide spin with preemption off)",
  },
  migrationClass: 'fifo',
  normalSched: 'o1',

  boot(k) {
    state.set(k, {
      moduleMutex: k.mutex('module_mutex'),
      cpucontrol: k.mutex('cpucontrol'),
      stoprefThreadAck: k.word('stopref_thread_ack', 0),
      stoprefNumThreads: 0,
      stoprefState: k.word('stopref_state', STOPREF_WAIT),
    })
  },

  moduleUnloadInit(k, mod, refs) {
    // module_unload_init(): every counter zeroed; the references the trace says are held
    // sit on CPU 0's counter; waiter = the loading task (never woken while the module is live)
    const ref = k.perCpu('ref[].count', mod)
    ref.values[0] = refs
    return {ref, waiter: null}
  },

  *tryModuleGet(k, mod) {
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

  initModule: sysInitModule,
  modulePut,

  *deleteModule(k, mod, flags) {
    const s = state(k)
    let ret: number
    let forced = false

    yield* k.mutexLock(s.moduleMutex) // down_interruptible(&module_mutex)

    // find_module(name) found mod; list_empty(&mod->modules_which_use_me) holds here.

    /* Already dying? */
    if (mod.state === 'going') {
      yield* k.mutexUnlock(s.moduleMutex)
      return EBUSY
    }

    /* Stop the machine so refcounts can't move: irqs disabled. */
    ret = yield* stopRefcounts(k)
    if (ret !== 0) {
      yield* k.mutexUnlock(s.moduleMutex)
      return ret
    }

    /* If it's not unused, quit unless we are told to block. */
    if (!flags.wait && (yield* moduleRefcount(k, mod)) !== 0) {
      forced = tryForce(k, flags)
      if (!forced) {
        ret = EWOULDBLOCK
        yield* restartRefcounts(k)
        yield* k.mutexUnlock(s.moduleMutex)
        return ret
      }
    }

    /* Mark it as dying. */
    mod.priv.waiter = k.current
    yield* k.step()
    yield* k.setModuleState(mod, 'going')
    yield* restartRefcounts(k)

    /* Never wait if forced. */
    if (!forced && (yield* moduleRefcount(k, mod)) !== 0) yield* waitForZeroRefcount(k, mod)

    /* Final destruction now noone is using it. */
    yield* k.moduleExit(mod) // mod->exit(), with module_mutex held
    yield* freeModule(k, mod)

    yield* k.mutexUnlock(s.moduleMutex) // out: up(&module_mutex)
    return ret
  },

  stopMachine,
})
