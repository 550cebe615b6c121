/**
 * id:       krmmod
 * title:    krmmod: stopper threads forked from a SCHED_FIFO 99 kthread (-mm, Jan 2004)
 * authors:  Rusty Russell
 * date:     2004-01-30
 * kernels:  never merged (-mm only: 2.6.2-rc2-mm1); 2.6.4 shipped stop_machine_run instead
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: rmmod's own task is no longer manipulated: the stop runs in a kernel thread,
 * "krmmod", which pins itself (nothing of the user's is clobbered) and raises itself to
 * SCHED_FIFO MAX_RT_PRIO-1; the stopper threads are forked from it and inherit FIFO 99, so
 * the `#if 0 FIXME` block goes. A SCHED_FIFO task below 99 can no longer starve a stopper.
 * Broke / left broken: an RT 99 hog still starves the stopper of its CPU (equal priority,
 * and FIFO never yields to it). kthread_stop() is signal based and goes through keventd
 * (force_sig(SIGTERM), waitpid), all while rmmod holds the CPU-hotplug lock.
 * try_stop_module_local() sets mod->waiter to current, which is now krmmod, not rmmod, so
 * the module_put() wakeups meant for rmmod's wait_for_zero_refcount() go to an exited
 * thread. And, as posted, sys_delete_module() no longer looks at try_stop_module()'s
 * return value (the hunk replaces `ret = stop_refcounts(); if (ret != 0) goto out;` and
 * the -EWOULDBLOCK exit with `ret = try_stop_module(...)` alone: its line counts, 26 old
 * and 9 new, leave no room for a check): with O_NONBLOCK and references held, the module
 * stays live and rmmod goes on to wait_for_zero_refcount(), where no put wakes it, or, if
 * the count reads 0 by then, to exit() and free_module() of a live module, and returns
 * -EWOULDBLOCK. 2.6.4's module.c has the `if (ret != 0) goto out;`.
 *
 * Modelled: the patch applied to 2.6.1's sys_delete_module (mod->exit() still under
 * module_mutex; the same per-CPU local_t refcount as stopref). kthread.c is modelled as it
 * was in Jan 2004 rather than with the engine's kthreadd: both kthread_create() and
 * kthread_stop() are work items on the calling CPU's keventd (events/N, SCHED_NORMAL nice
 * -10, bound to N). keventd forks the thread, so krmmod starts on rmmod's CPU with
 * events/N's mask, queued ahead of the keventd work that will later signal it (with one
 * global kthreadd it could start on another, busy CPU, and then see SIGTERM before ever
 * running spawn_stopref: kthread_stop() would return -EINTR with no stop done). For
 * kthread_stop(), keventd adopts the thread, force_sig(SIGTERM)s it and waitpid()s for it;
 * kthread() ran threadfn while !signal_pending() and exited with (-ret) << 8.
 * lock_cpu_hotplug() is down(&cpucontrol). The trace's `stop_machine` op runs its handler
 * in spawn_stopref() in place of try_stop_module_local(), with local interrupts off, under
 * module_mutex (the stopref globals are still module.c's).
 */
import {
  defineVariant,
  EBUSY,
  EINTR,
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
  type ThreadFn,
  type Word,
} from '../src/api.ts'
import {STOPREF_DISABLE_IRQ, STOPREF_EXIT, STOPREF_PREPARE, STOPREF_WAIT, stopref, stoprefSetState, type StoprefGlobals} from './stopref.ts'

/** The unload part of struct module: ref[NR_CPUS].count (local_t) and the waiter. */
interface ModuleUnload {
  readonly ref: PerCpuWord
  /** The task that module_put() wakes once the module is not live. */
  waiter: Task | null
}

/** struct work_struct: what keventd runs. */
type Work = (k: Kernel) => StepGen

/** keventd_wq's struct cpu_workqueue_struct, one per CPU. */
interface CpuWorkqueue {
  readonly worklist: Work[]
  thread: Task | null
}

/** The kernel's static state for one run: the semaphores, keventd and the stopref globals. */
interface State extends StoprefGlobals {
  readonly moduleMutex: Mutex
  readonly cpucontrol: Mutex
  readonly keventd: CpuWorkqueue[]
}
const state = kernelState<State>('krmmod')

// ---- kernel/workqueue.c (2.6.0): keventd ------------------------------------------------

/** worker_thread() of events/N: sleep until work is queued, then run_workqueue(). */
function* workerThread(k: Kernel, cpu: number): StepGen<number> {
  const cwq = state(k).keventd[cpu]
  for (;;) {
    yield* k.setCurrentState(TASK_INTERRUPTIBLE)
    if (!cwq.worklist.length) {
      yield* k.schedule('keventd: no work')
      continue
    }
    k.current.state = TASK_RUNNING
    // run_workqueue(cwq)
    while (cwq.worklist.length) yield* cwq.worklist.shift()!(k)
  }
}

/** schedule_work(): queue on this CPU's keventd (queue_work under get_cpu) and wake it; the keventd thread, which will run the work. */
function* scheduleWork(k: Kernel, work: Work): StepGen<Task> {
  const cwq = state(k).keventd[yield* k.getCpu()]
  const wasOff = yield* k.localIrqSave() // spin_lock_irqsave(&cwq->lock, flags)
  cwq.worklist.push(work)
  yield* k.localIrqRestore(wasOff)
  yield* k.wakeUpProcess(cwq.thread!) // wake_up(&cwq->more_work)
  yield* k.putCpu()
  return cwq.thread!
}

// ---- kernel/kthread.c (Jan 2004 -mm, "Simplified Kthread") -------------------------------

/** struct kthread_create_info: passed to kthread() from keventd, and the result back. */
interface KthreadCreateInfo {
  readonly threadfn: ThreadFn
  /** The comm kthread_create() gives the thread (it names it at fork here). */
  readonly name: string
  readonly started: Completion
  result: Task | null
  readonly done: Completion
}

/** kthread(): run threadfn until a signal is pending. Returns so that WEXITSTATUS(ret) == errno. */
function* kthread(k: Kernel, create: KthreadCreateInfo): StepGen<number> {
  let ret = EINTR

  /* Copy data: it's on keventd's stack */
  const threadfn = create.threadfn

  /* OK, tell user we're spawned, wait for stop or wakeup */
  yield* k.setCurrentState(TASK_INTERRUPTIBLE) // current->state = TASK_INTERRUPTIBLE
  yield* k.complete(create.started)
  yield* k.schedule('kthread: not woken yet')

  while (!(yield* k.signalPending())) ret = yield* threadfn(k)

  return (-ret) << 8
}

/**
 * keventd_create_kthread(): we are keventd: create a thread. It is a fork of events/N, so it
 * inherits its SCHED_NORMAL nice -10 and its cpus_allowed, {N}, and is queued on CPU N.
 */
function* keventdCreateKthread(k: Kernel, create: KthreadCreateInfo): StepGen {
  /* We want our own signal handler (we take no signals by default). */
  const p = yield* k.kernelThread((kk) => kthread(kk, create), create.name) // kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD)
  yield* k.waitForCompletion(create.started, 'kthread started', p)
  create.result = p // find_task_by_pid(pid)
  while (p.where === 'running') yield* k.cpuRelax() // wait_task_inactive(create->result)
  yield* k.complete(create.done)
}

/** kthread_create(): keventd on this CPU forks the thread, which sleeps until woken. */
function* kthreadCreate(k: Kernel, threadfn: ThreadFn, name: string): StepGen<Task> {
  const create: KthreadCreateInfo = {threadfn, name, started: k.completion(), result: null, done: k.completion()}
  const keventd = yield* scheduleWork(k, (kk) => keventdCreateKthread(kk, create))
  yield* k.waitForCompletion(create.done, 'kthread_create', keventd)
  return create.result!
}

/** kthread_run(): kthread_create(), then wake_up_process(). */
function* kthreadRun(k: Kernel, threadfn: ThreadFn, name: string): StepGen<Task> {
  const p = yield* kthreadCreate(k, threadfn, name)
  yield* k.wakeUpProcess(p)
  return p
}

/** struct kthread_stop_info. */
interface KthreadStopInfo {
  readonly k: Task
  /**
   * Written by keventd, read by kthread_stop() once it is complete: a kernel word (on the
   * caller's stack, as `stop` is), so that a captured state holds it once keventd has
   * moved on to other work.
   */
  readonly result: Word
  readonly done: Completion
}

/**
 * waitpid(pid, &status, __WALL) in keventd: sleep (interruptibly: the SIGCHLD handler is
 * installed) until the adopted child has exited, and reap its exit status.
 */
function* waitpid(k: Kernel, child: Task): StepGen<number> {
  const me = k.current
  for (;;) {
    yield* k.setCurrentState(TASK_INTERRUPTIBLE)
    if (child.where === 'exited') break // a zombie child to reap
    child.exitWaiters.push(me) // exit_notify(): SIGCHLD and a wakeup for the parent
    yield* k.schedule('waitpid')
  }
  me.state = TASK_RUNNING
  return child.exitCode
}

/** keventd_stop_kthread(): we are keventd: stop the thread. */
function* keventdStopKthread(k: Kernel, stop: KthreadStopInfo): StepGen {
  /* Install a handler so SIGCHLD is actually delivered */
  yield* k.step() // do_sigaction(SIGCHLD, SIG_DFL); allow_signal(SIGCHLD)

  yield* k.step() // adopt_kthread(stop->k): REMOVE_LINKS, parent = current, SET_LINKS
  /* All signals are blocked, hence the force. */
  yield* k.forceSig(stop.k, 'TERM')
  const status = yield* waitpid(k, stop.k)
  stop.result.value = 0 - ((status >> 8) & 0xff) // -((status >> 8) & 0xFF)
  yield* k.complete(stop.done)

  /* Back to normal: block and flush all signals */
  yield* k.step() // sigprocmask, flush_signals, SIGCHLD to SIG_IGN, reap strays
}

/** kthread_stop(): keventd sends the thread SIGTERM and waits; returns threadfn's result. */
function* kthreadStop(k: Kernel, p: Task): StepGen<number> {
  const stop: KthreadStopInfo = {k: p, result: k.word('stop.result', 0), done: k.completion()}
  const keventd = yield* scheduleWork(k, (kk) => keventdStopKthread(kk, stop))
  yield* k.waitForCompletion(stop.done, 'kthread_stop', keventd)
  return stop.result.value
}

// ---- kernel/module.c (2.6.1 with the patch) ----------------------------------------------

// enum stopref_state, stopref() and stopref_set_state(): 2.6.0's, from ./stopref.ts.

/** try_force(): O_TRUNC forces, with CONFIG_MODULE_FORCE_UNLOAD=y; it taints the kernel. */
function tryForce(k: Kernel, flags: DeleteFlags): boolean {
  const ret = flags.force // flags & O_TRUNC
  if (ret) k.log('tainted |= TAINT_FORCED_MODULE')
  return ret
}

/**
 * try_stop_module_local(): on the stopping CPU, with every other CPU held, test the count
 * and mark the module dying. `current` is krmmod: it becomes the waiter.
 */
function* tryStopModuleLocal(k: Kernel, mod: Module<ModuleUnload>, flags: DeleteFlags, forced: {value: boolean}): StepGen<number> {
  yield* k.localIrqDisable()

  /* If it's not unused, quit unless we are told to block. */
  if (!flags.wait && (yield* moduleRefcount(k, mod)) !== 0) {
    forced.value = tryForce(k, flags)
    if (!forced.value) {
      yield* k.localIrqEnable()
      return EWOULDBLOCK
    }
  }

  /* Mark it as dying. */
  mod.priv.waiter = k.current
  yield* k.step()
  yield* k.setModuleState(mod, 'going')
  yield* k.localIrqEnable()
  return 0
}

/**
 * struct stopref: the module, the flags and where to report `forced`, which spawn_stopref
 * hands to try_stop_module_local(); here, that call ready to make.
 */
interface Stopref {
  readonly tryStopModuleLocal: StopFn
}

/** spawn_stopref(): krmmod's body. Stops the machine, tests the module, waits for kthread_stop. */
function* spawnStopref(k: Kernel, sref: Stopref): StepGen<number> {
  const s = state(k)
  let ret = 0
  const cpu = yield* k.smpProcessorId()

  /* One high-prio thread per cpu.  We'll do one (any one). */
  yield* k.setCpusAllowed(k.current, [cpu]) // set_cpus_allowed(current, cpumask_of_cpu(cpu))
  yield* k.schedSetscheduler(k.current, 'fifo', 99) // sys_sched_setscheduler(current->pid, SCHED_FIFO, MAX_RT_PRIO-1)

  yield* k.atomicSet(s.stoprefThreadAck, 0)
  s.stoprefNumThreads = 0
  yield* k.step()
  yield* k.atomicSet(s.stoprefState, STOPREF_WAIT)

  for (const i of k.onlineCpus()) {
    if (i === cpu) continue // for_each_online_cpu(i) if (i == cpu) continue;
    // kernel_thread(stopref, i, CLONE_KERNEL): a fork of current (FIFO 99, pinned here, comm
    // "krmmod": the patch drops the sprintf), queued on this CPU; returns its pid
    ret = (yield* k.kernelThread((kk) => stopref(kk, s, i), 'krmmod')).id
    if (ret < 0) break
    s.stoprefNumThreads++
  }

  /* Wait for them all to come to life. */
  // while (atomic_read(&stopref_thread_ack) != stopref_num_threads) yield();
  yield* k.yieldUntil([s.stoprefThreadAck], () => s.stoprefThreadAck.value === s.stoprefNumThreads)

  /* If some failed, kill them all. */
  if (ret < 0) {
    yield* stoprefSetState(k, s, STOPREF_EXIT, true)
    return ret
  }

  /* Don't schedule us away at this point, please. */
  yield* k.preemptDisable()

  /* Now they are all started, make them hold the CPUs, ready. */
  yield* stoprefSetState(k, s, STOPREF_PREPARE, false)

  /* Make them disable irqs. */
  yield* stoprefSetState(k, s, STOPREF_DISABLE_IRQ, false)

  /* Atomically disable module if possible */
  ret = yield* sref.tryStopModuleLocal(k) // try_stop_module_local(sref->mod, sref->flags, sref->forced)

  yield* stoprefSetState(k, s, STOPREF_EXIT, false)
  yield* k.preemptEnable()

  /* Wait for kthread_stop */
  while (!(yield* k.signalPending())) {
    yield* k.setCurrentState(TASK_INTERRUPTIBLE) // __set_current_state(TASK_INTERRUPTIBLE)
    yield* k.schedule('wait for kthread_stop')
  }
  return ret
}

/** try_stop_module(): stop the machine from a kthread so refcounts can't move, and disable the module. */
function* tryStopModule(k: Kernel, mod: Module<ModuleUnload>, flags: DeleteFlags, forced: {value: boolean}): StepGen<number> {
  const s = state(k)
  const sref: Stopref = {tryStopModuleLocal: (kk) => tryStopModuleLocal(kk, mod, flags, forced)}

  /* No CPUs can come up or down during this. */
  yield* k.mutexLock(s.cpucontrol) // lock_cpu_hotplug()
  const p = yield* kthreadRun(k, (kk) => spawnStopref(kk, sref), 'krmmod')
  // IS_ERR(p): kthread_create cannot fail in the model
  const ret = yield* kthreadStop(k, p)
  yield* k.mutexUnlock(s.cpucontrol) // unlock_cpu_hotplug()
  return ret
}

/** module_refcount(): sums every CPU's counter with plain reads, no lock. */
function* moduleRefcount(k: Kernel, mod: Module<ModuleUnload>): StepGen<number> {
  let total = 0
  for (const i of k.onlineCpus()) total += yield* k.localRead(mod.priv.ref, i) // for (i = 0; i < NR_CPUS; i++)
  return total
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

/** `fn` with local interrupts off, where try_stop_module_local() would disable them. */
function* withLocalIrqsOff(k: Kernel, fn: StopFn): StepGen<number> {
  yield* k.localIrqDisable()
  const r = yield* fn(k)
  yield* k.localIrqEnable()
  return r
}

/**
 * The trace's `stop_machine` op: the era has no stop_machine, so its handler runs in
 * spawn_stopref() where try_stop_module_local() would, with local interrupts off.
 */
function* stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  const s = state(k)
  const sref: Stopref = {tryStopModuleLocal: (kk) => withLocalIrqsOff(kk, fn)}
  yield* k.mutexLock(s.moduleMutex) // the stopref globals are module_mutex's
  yield* k.mutexLock(s.cpucontrol) // lock_cpu_hotplug()
  const p = yield* kthreadRun(k, (kk) => spawnStopref(kk, sref), 'krmmod')
  const ret = yield* kthreadStop(k, p)
  yield* k.mutexUnlock(s.cpucontrol) // unlock_cpu_hotplug()
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
    id: 'krmmod',
    title: 'krmmod: stopper threads forked from a SCHED_FIFO 99 kthread (-mm, Jan 2004)',
    authors: ['Rusty Russell'],
    date: '2004-01-30',
    kernels: 'never merged (-mm only: 2.6.2-rc2-mm1); 2.6.4 shipped stop_machine_run instead',
    sources: [
      'Rusty Russell, "[PATCH 2/2] Module removal to use kthread", LKML, 30 Jan 2004',
      'Rusty Russell, "Simplified Kthread", in "Re: [PATCH 1/2] kthread_create", LKML, 7 Jan 2004',
      'kernel/module.c 2.6.0/2.6.1: stopref, stopref_set_state, wait_for_zero_refcount, sys_delete_module',
    ],
    fixed: "the stop runs in a FIFO 99 kthread: rmmod's affinity is untouched, and no RT task below 99 can starve a stopper",
    broke:
      'a FIFO 99 hog still starves a stopper; waiter is krmmod, not rmmod; as posted, try_stop_module()\'s -EWOULDBLOCK is ignored, so a busy module under O_NONBLOCK leaves rmmod in D state',
  },
  migrationClass: 'fifo',
  normalSched: 'o1',

  boot(k) {
    const keventd = k.onlineCpus().map((): CpuWorkqueue => ({worklist: [], thread: null}))
    state.set(k, {
      moduleMutex: k.mutex('module_mutex'),
      cpucontrol: k.mutex('cpucontrol'),
      keventd,
      stoprefThreadAck: k.word('stopref_thread_ack', 0),
      stoprefNumThreads: 0,
      stoprefState: k.word('stopref_state', STOPREF_WAIT),
    })
    for (const cpu of k.onlineCpus()) {
      // create_workqueue("events"): one worker per CPU, bound there, set_user_nice(current, -10)
      keventd[cpu].thread = k.bootThread(`events/${cpu}`, cpu, 'normal', -10, (kk) => workerThread(kk, cpu))
    }
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
    const forced = {value: false}

    yield* k.mutexLock(s.moduleMutex) // down_interruptible(&module_mutex)

    // find_module(name) found mod; list_empty(&mod->modules_which_use_me) holds here.

    /* Already dying? */
    if (mod.state === 'going') {
      yield* k.mutexUnlock(s.moduleMutex)
      return EBUSY
    }

    /* Stop the machine so refcounts can't move and disable module. */
    const ret = yield* tryStopModule(k, mod, flags, forced)
    // (as posted: no `if (ret != 0) goto out;` here, see the header)

    /* Never wait if forced. */
    if (!forced.value && (yield* moduleRefcount(k, mod)) !== 0) yield* waitForZeroRefcount(k, mod)

    /* Final destruction now noone is using it. */
    yield* k.moduleExit(mod) // mod->exit(), with module_mutex held
    yield* freeModule(k, mod)

    yield* k.mutexUnlock(s.moduleMutex) // out: up(&module_mutex)
    return ret
  },

  stopMachine,
})
