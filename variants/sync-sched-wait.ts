/**
 * id:       sync-sched-wait
 * title:    blocking rmmod without a stop: GOING, synchronize_sched(), wait_for_zero_refcount
 * authors:  Rusty Russell
 * date:     2009
 * kernels:  ≈2.6.29–3.12 (modelled on 3.x: cpu_stop stop_machine, per-CPU incs/decs)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: a blocking removal (rmmod --wait, no O_NONBLOCK) stops no CPU to test the count.
 * try_stop_module() marks the module GOING at once and waits in synchronize_sched() for
 * every CPU to pass a quiescent state: every try_module_get() that could still have read
 * the module live (a preempt-disabled region) has then finished, and no later one
 * succeeds, so the counters only go down and a plain sum can no longer read a false 0.
 * rmmod then sleeps in wait_for_zero_refcount(), woken by each module_put() on the dying
 * module. The O_NONBLOCK removal keeps stop_machine(__try_stop_module).
 * Broke / left broken: the wait is unkillable (D state) and lasts as long as any holder
 * keeps its reference; free_module() still unlinks the module under stop_machine(), so
 * every removal, blocking or not, still stops the whole machine once. 3.13 dropped the
 * blocking removal altogether ("waiting module removal not supported: please upgrade").
 *
 * Modelled: module.c of about 3.0–3.12 (the start of the split is uncertain, ≈2.6.29),
 * with the cpu_stop stop_machine, refcount and module load of ./stop-machine.ts, plus
 * mod->waiter and the wakeup in module_put() that 3.13 removed with the blocking path.
 * synchronize_sched() is the grace period of ./atomic-refcnt.ts's synchronize_rcu(): a
 * CPU is quiescent outside every preempt- and irq-disabled region.
 */
import {defineVariant, EBUSY, EWOULDBLOCK, type Kernel, type Module, type StepGen, type Task, type Word, withArg} from '../src/api.ts'
import {synchronizeRcu} from './atomic-refcnt.ts'
import sm, {doInitModule, moduleMutex, moduleRefcount, type ModuleRef} from './stop-machine.ts'
import {waitForZeroRefcount} from './stop-machine-run.ts'

/** struct module_ref per CPU, and mod->waiter. */
interface ModuleUnload extends ModuleRef {
  /** The task that module_put() wakes once the module is not live. */
  waiter: Task | null
}

// ---- kernel/module.c (≈2.6.29–3.12) ----------------------------------------------------

/** module_put(): the decrement in this CPU's `decs`, and a wakeup for the waiter once the module is not live. */
function* modulePut(k: Kernel, mod: Module<ModuleUnload>): StepGen {
  yield* k.preemptDisable()
  yield* k.mb() // smp_wmb(): see comment in module_refcount
  yield* k.localInc(mod.priv.decs, k.rawSmpProcessorId()) // __this_cpu_inc(module->refptr->decs)
  /* Maybe they're waiting for us to drop reference? */
  if (!(yield* k.moduleIsLive(mod))) {
    const waiter = mod.priv.waiter
    if (waiter !== null) yield* k.wakeUpProcess(waiter)
  }
  yield* k.preemptEnable()
}

/** struct stopref: what try_stop_module() hands __try_stop_module() through stop_machine. */
interface Stopref {
  readonly mod: Module<ModuleUnload>
  /** try_force_unload(flags): O_TRUNC with CONFIG_MODULE_FORCE_UNLOAD. */
  readonly force: boolean
  /**
   * *sref->forced: set (1) when the removal is forced. delete_module()'s local `forced`,
   * written by the stopper thread: a kernel word, so that a state holds it.
   */
  readonly forced: Word
}

/** __try_stop_module(): under stop_machine, refuse a module in use unless forced; else mark it GOING. */
function* __try_stop_module(k: Kernel, sref: Stopref): StepGen<number> {
  /* If it's not unused, quit unless we're forcing. */
  if ((yield* moduleRefcount(k, sref.mod)) !== 0) {
    sref.forced.value = sref.force ? 1 : 0
    if (!sref.forced.value) return EWOULDBLOCK
  }
  /* Mark it as dying. */
  yield* k.setModuleState(sref.mod, 'going')
  return 0
}

/** __unlink_module(): under stop_machine, list_del(&mod->list) (and, from 2.6.36, module_bug_cleanup()). */
function* __unlink_module(k: Kernel): StepGen<number> {
  yield* k.step()
  return 0
}

/**
 * try_stop_module(): O_NONBLOCK stops the machine to test the count and mark the module
 * GOING in one go; a blocking removal marks it GOING and waits out a grace period instead.
 */
function* tryStopModule(k: Kernel, mod: Module<ModuleUnload>, wait: boolean, force: boolean, forced: Word): StepGen<number> {
  if (!wait) {
    // stop_machine(__try_stop_module, &sref, NULL)
    const sref: Stopref = {mod, force, forced}
    return yield* sm.stopMachine(k, withArg(__try_stop_module, sref))
  }
  /* We don't need to stop the machine for this. */
  yield* k.setModuleState(mod, 'going')
  yield* synchronizeRcu(k) // synchronize_sched()
  return 0
}

export default defineVariant<ModuleUnload>({
  meta: {
    id: 'sync-sched-wait',
    title: 'blocking rmmod without a stop: GOING, synchronize_sched(), wait_for_zero_refcount',
    authors: ['Rusty Russell'],
    date: '2009',
    kernels: '≈2.6.29–3.12 (modelled on 3.x: cpu_stop stop_machine, per-CPU incs/decs)',
    sources: [
      'kernel/module.c of about 2.6.29–2.6.34: try_stop_module() with the O_NONBLOCK split, synchronize_sched() on the blocking path',
      'kernel/module.c of 3.x before 3f2b9c9cdf38 (3.13, "module: remove rmmod --wait option", recalled, not checked against the commit): module_put() waking mod->waiter, wait_for_zero_refcount()',
      'e1783a240f49 "module: Use this_cpu_xx to dynamically allocate counters" (2.6.34): per-CPU refcounts under preempt_disable()',
    ],
    fixed: 'a blocking removal stops no CPU for the count: GOING, a grace period, then a sleep until the count reads 0',
    broke: 'an unkillable D-state wait for as long as a holder keeps its reference; free_module() still stops every CPU to unlink',
  },
  migrationClass: 'stop',
  normalSched: 'cfs',

  boot: (k) => sm.boot?.(k),

  moduleUnloadInit(k, mod, refs) {
    return {...sm.moduleUnloadInit(k, mod, refs), waiter: null}
  },

  initModule(k, mod, init) {
    mod.priv.waiter = k.current // module_unload_init(): Backwards compatibility macros put refcount during init.
    return doInitModule(k, mod, init, moduleMutex(k))
  },

  tryModuleGet: (k, mod) => sm.tryModuleGet(k, mod),
  modulePut,

  *deleteModule(k, mod, flags) {
    const mutex = moduleMutex(k)
    const forced = k.word('forced', 0)
    yield* k.mutexLock(mutex) // mutex_lock_interruptible(&module_mutex)

    /* Doing init or already dying? */
    if (mod.state !== 'live') {
      yield* k.mutexUnlock(mutex)
      return EBUSY
    }

    /* Set this up before setting mod->state */
    mod.priv.waiter = k.current
    yield* k.step()

    /* Stop the machine so refcounts can't move and disable module. */
    const ret = yield* tryStopModule(k, mod, flags.wait, flags.force, forced)
    if (ret !== 0) {
      yield* k.mutexUnlock(mutex) // goto out
      return ret
    }

    /* Never wait if forced. */
    if (!forced.value && (yield* moduleRefcount(k, mod)) !== 0) yield* waitForZeroRefcount(k, mutex, mod, () => moduleRefcount(k, mod))

    yield* k.mutexUnlock(mutex)
    /* Final destruction now no one is using it. */
    yield* k.moduleExit(mod) // mod->exit()
    yield* k.step() // blocking_notifier_call_chain(MODULE_STATE_GOING); async_synchronize_full()
    // free_module(): stop_machine(__unlink_module, mod, NULL) under module_mutex, then the memory
    yield* k.mutexLock(mutex)
    yield* sm.stopMachine(k, __unlink_module)
    yield* k.mutexUnlock(mutex)
    yield* k.freeModule(mod)
    return 0
  },

  stopMachine: (k, fn) => sm.stopMachine(k, fn),
})
