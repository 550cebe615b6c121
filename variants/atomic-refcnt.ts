/**
 * id:       atomic-refcnt
 * title:    atomic refcnt with a base reference; no stop_machine on removal
 * authors:  Masami Hiramatsu, Rusty Russell, Josh Poimboeuf
 * date:     2014-11
 * kernels:  3.19–6.4 (6.5+ without preempt_disable in get/put)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: no CPU is ever stopped for module removal. `refcnt` is one atomic word holding
 * the references plus MODULE_REF_BASE (1), the module's own "alive" token. Removal takes
 * the token away with one atomic subtraction: if that leaves 0, no reference exists and
 * none can be taken again (atomic_inc_not_zero never leaves 0), so the test and the latch
 * are a single read-modify-write, linearised against every get. If it leaves more than 0,
 * the token is put back unless the holders dropped to 0 in between (then removal goes on,
 * safely: 0 is absorbing). The list unlink that needed the second stop_machine is now
 * list_del_rcu() and a grace period.
 * Broke / left: every get and put of every CPU bounces one cache line (Masami's stated
 * cost on big SMP); an unbalanced put only WARNs; __module_get() at 0 would resurrect a
 * module (not a trace op here).
 *
 * synchronize_rcu() (synchronize_sched() in 3.19): the grace period ends once every CPU
 * has been seen in a quiescent state (outside any preempt- or interrupt-disabled region)
 * after it began. As RCU does, each CPU is checked at the scheduling-clock tick (HZ=1000),
 * so a grace period lasts at least one tick, and a CPU spinning with preemption off delays
 * it. try_module_get() and module_put() are preempt-disabled regions, so a get that found
 * the module before its removal has finished with the module's memory before it is freed.
 * The trace op stop_machine uses the cpu_stop stop_machine of ./stop-machine.ts.
 */
import {
  defineVariant,
  EBUSY,
  EWOULDBLOCK,
  kernelState,
  TASK_UNINTERRUPTIBLE,
  type Kernel,
  type Module,
  type Mutex,
  type StepGen,
  type Word,
} from '../src/api.ts'
import stopMachineVariant from './stop-machine.ts'

/** The reference the module holds on itself while it may be used (MODULE_REF_BASE). */
const MODULE_REF_BASE = 1

/** One jiffy at HZ=1000: how often the scheduling-clock tick looks for quiescent states. */
const JIFFY = 1_000_000

/** The refcount part of struct module since 3.19: `atomic_t refcnt`, in module memory. */
interface ModuleRef {
  readonly refcnt: Word
}

/** The kernel's static state for one run: module_mutex. */
interface State {
  readonly moduleMutex: Mutex
}
const state = kernelState<State>('atomic-refcnt')

// ---- kernel/rcu ------------------------------------------------------------------------

/**
 * synchronize_rcu(): sleep until every CPU has passed through a quiescent state since the
 * call, checking the CPUs that have not yet at each scheduling-clock tick.
 */
export function* synchronizeRcu(k: Kernel): StepGen {
  const waiting = k.cpumask(k.onlineCpus())
  yield* k.step()
  yield* k.msleepUntil(JIFFY, () => {
    for (const cpu of [...waiting]) if (k.rcuQuiescent(cpu)) waiting.delete(cpu)
    return waiting.size === 0
  })
}

// ---- kernel/module/main.c ----------------------------------------------------------------

/**
 * try_release_module_ref(): drop the base reference; if references remain, put it back
 * unless they have all gone in between. 0 means the module may be removed.
 */
function* tryReleaseModuleRef(k: Kernel, mod: Module<ModuleRef>): StepGen<number> {
  // Try to decrement refcnt which we set at loading
  let ret = yield* k.atomicSubReturn(mod.priv.refcnt, MODULE_REF_BASE)
  if (ret < 0) yield* bug(k, 'try_release_module_ref: refcnt went below zero')
  if (ret) {
    // Someone can put this right now, recover with checking
    ret = (yield* k.atomicAddUnless(mod.priv.refcnt, MODULE_REF_BASE, 0)) ? 1 : 0
  }
  return ret
}

/** try_stop_module(): unless unused (or forced), refuse; then mark the module GOING. */
function* tryStopModule(k: Kernel, mod: Module<ModuleRef>, force: boolean): StepGen<number> {
  // If it's not unused, quit unless we're forcing.
  if ((yield* tryReleaseModuleRef(k, mod)) !== 0) {
    const forced = force // try_force_unload(): O_TRUNC with CONFIG_MODULE_FORCE_UNLOAD
    if (!forced) return EWOULDBLOCK
  }
  // Mark it as dying.
  yield* k.setModuleState(mod, 'going')
  return 0
}

/**
 * free_module(): take the module off the list with list_del_rcu() under module_mutex, wait
 * for a grace period so that no CPU can still be looking at it, then free its memory.
 */
function* freeModule(k: Kernel, mod: Module<ModuleRef>): StepGen {
  const s = state(k)
  yield* k.mutexLock(s.moduleMutex)
  yield* k.step() // list_del_rcu(&mod->list); mod_tree_remove(mod)
  yield* synchronizeRcu(k)
  yield* k.mutexUnlock(s.moduleMutex)
  yield* k.freeModule(mod) // module_memfree(...)
}

/**
 * BUG(): the kernel oopses and the task that hit it dies in kernel mode, leaving every
 * lock it held locked. Modelled as the task sleeping uninterruptibly for good.
 */
function* bug(k: Kernel, what: string): StepGen {
  k.log(`kernel BUG at ${what}`)
  for (;;) {
    yield* k.setCurrentState(TASK_UNINTERRUPTIBLE)
    yield* k.schedule('oops (BUG)')
  }
}

/** module_put(): decrement unless that would go below 0; WARN on an unbalanced put. */
function* modulePut(k: Kernel, mod: Module<ModuleRef>): StepGen {
  yield* k.preemptDisable()
  const ret = yield* k.atomicDecIfPositive(mod.priv.refcnt)
  if (ret < 0) k.log(`WARNING: module_put(${mod.name}): failed to put refcount (unbalanced put)`) // WARN_ON(ret < 0)
  yield* k.preemptEnable()
}

export default defineVariant<ModuleRef>({
  meta: {
    id: 'atomic-refcnt',
    title: 'atomic refcnt with a base reference; no stop_machine on removal',
    authors: ['Masami Hiramatsu', 'Rusty Russell', 'Josh Poimboeuf'],
    date: '2014-11',
    kernels: '3.19–6.4 (6.5+ without preempt_disable in get/put)',
    sources: [
      '2f35c41f58a9 module: Replace module_ref with atomic_t refcnt (Masami Hiramatsu)',
      'e513cc1c07e2 module: Remove stop_machine from module unloading (Masami Hiramatsu)',
      'LKML 2014-08-25, Masami Hiramatsu: [RFC PATCH 0/5] module: Remove stop_machine from module unloading',
      'dynup/kpatch issue #138 (2014-04-24)',
      'cb0b50b813f6 module: Remove preempt_disable() from module reference counting (v6.5)',
      'kernel/module/main.c ~v6.1: try_module_get, module_put, try_release_module_ref, try_stop_module, free_module',
    ],
    fixed: 'no stop_machine on removal: the refcount test and the GOING latch are one atomic RMW',
    broke: 'one shared cache line for every get and put; an unbalanced put only WARNs',
  },
  migrationClass: 'stop',
  normalSched: 'cfs',

  boot(k) {
    state.set(k, {moduleMutex: k.mutex('module_mutex')})
    stopMachineVariant.boot?.(k) // the cpu_stop threads behind the stop_machine trace op
  },

  /** module_unload_init(): refcnt = MODULE_REF_BASE, plus the references held since load. */
  moduleUnloadInit(k, mod, refs) {
    return {refcnt: k.word('refcnt', MODULE_REF_BASE + refs, mod)}
  },

  /** try_module_get(): live, and the count not yet 0 (inc_not_zero), or no reference. */
  *tryModuleGet(k, mod) {
    let ret = true
    yield* k.preemptDisable()
    // Note: here, we can fail to get a reference
    if ((yield* k.moduleIsLive(mod)) && (yield* k.atomicIncNotZero(mod.priv.refcnt))) {
      // trace_module_get(module, _RET_IP_)
    } else {
      ret = false
    }
    yield* k.preemptEnable()
    return ret
  },

  modulePut,

  /**
   * load_module() and do_init_module(): module_unload_init() holds one reference above
   * MODULE_REF_BASE for the length of init; module_mutex is taken only to put the module
   * on the list; init runs without it; then the module goes LIVE and, under
   * module_mutex, the initial reference is dropped.
   */
  *initModule(k, mod, init) {
    const s = state(k)
    /* Hold reference count during initialization. */
    yield* k.atomicInc(mod.priv.refcnt)
    yield* k.mutexLock(s.moduleMutex) // add_unformed_module(), complete_formation()
    yield* k.step() // list_add_rcu(&mod->list, &modules); mod->state = MODULE_STATE_COMING
    yield* k.mutexUnlock(s.moduleMutex)
    yield* init() // do_one_initcall(mod->init)
    /* Now it's a first class citizen! */
    yield* k.setModuleState(mod, 'live')
    yield* k.mutexLock(s.moduleMutex)
    /* Drop initial reference. */
    yield* modulePut(k, mod)
    yield* k.mutexUnlock(s.moduleMutex)
    return 0
  },

  /** delete_module(2). */
  *deleteModule(k, mod, flags) {
    const s = state(k)
    yield* k.mutexLock(s.moduleMutex)
    // Doing init or already dying?
    if (mod.state !== 'live') {
      yield* k.mutexUnlock(s.moduleMutex)
      return EBUSY
    }
    // No blocking (--wait) removal since 3.13: flags.wait changes nothing.
    const ret = yield* tryStopModule(k, mod, flags.force)
    yield* k.mutexUnlock(s.moduleMutex)
    if (ret !== 0) return ret
    // Final destruction now no one is using it.
    yield* k.moduleExit(mod)
    // blocking_notifier_call_chain(MODULE_STATE_GOING); async_synchronize_full()
    yield* k.step()
    yield* freeModule(k, mod)
    return 0
  },

  stopMachine: (k, fn) => stopMachineVariant.stopMachine(k, fn),
})
