/**
 * id:       lockfree-naive
 * title:    no stop: per-CPU refcounts summed without quiescing getters
 * authors:  Max Krasnyansky, Tejun Heo, Rusty Russell
 * date:     2008-02-13
 * kernels:  never merged (2008 LKML discussion, against 2.6.24)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * What Max asked: "maybe we do not need the stop machine any more". This is 2.6.24's
 * module.c with try_stop_module() calling __try_stop_module() directly and free_module()
 * calling __unlink_module() directly: no stop_machine_run anywhere. try_module_get() is
 * unchanged: get_cpu(), module_is_live(), local_inc() on this CPU's counter, put_cpu().
 *
 * Fixed: no CPU is ever stopped; module removal costs the machine nothing.
 * Broke: try_module_get() and the remover are no longer atomic against each other.
 *   - A getter that has read live == true but not yet incremented when the remover's sums
 *     read its CPU's counter increments afterwards: the sums read 0, the module is marked
 *     GOING, exit runs and the module is freed while the getter holds a reference and
 *     calls into it (freed-while-referenced, then use-after-free). Likewise a whole get
 *     that lands on a CPU whose counter the sums have already read.
 *   - 2.6.24 sums the counters a second time after marking GOING. With no barrier between
 *     the GOING store and those loads, x86 may complete the loads first (store buffering),
 *     so the second sum is no fix; the model, sequentially consistent, makes the loads
 *     before the store explicitly (see sys_delete_module below).
 *   - An interrupt between a getter's live test and its increment (get_cpu() only keeps
 *     preemption off) widens the window to the handler's length; so does a get that found
 *     the module just before its exit began.
 *   - The sum is a sequence of plain reads, not a snapshot: a new get on a CPU already
 *     read and the put of an older reference on a CPU read later cancel out, and the sum
 *     reads 0 while a reference is held.
 *
 * sys_init_module() is 2.6.24's with __link_module() called directly as well. The
 * stop_machine trace op (a module or task calling stop_machine itself) is 2.6.24's
 * stop_machine_run of ./stop-machine-run.ts, booted here as well; module removal, which is
 * what this variant is about, does not use it at all.
 */
import {
  defineVariant,
  EBUSY,
  EWOULDBLOCK,
  kernelState,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type Kernel,
  type Module,
  type Mutex,
  type PerCpuWord,
  type StepGen,
  type Task,
} from '../src/api.ts'
import {bootStopMachineRun, localRefcount, stopMachineRun, sysInitModule} from './stop-machine-run.ts'

/** The refcount part of struct module in 2.6.24: `struct module_ref ref[NR_CPUS]` and `waiter`. */
interface ModuleRef {
  /** ref[cpu].count, one local_t per CPU, each in its own cache line. */
  readonly ref: PerCpuWord
  /** mod->waiter: the task to wake when a put drops a reference on a dying module. */
  waiter: Task | null
}

/** The kernel's static state for one run: module_mutex. */
interface State {
  readonly moduleMutex: Mutex
}
const state = kernelState<State>('lockfree-naive')

// ---- kernel/module.c (2.6.24, stop_machine_run calls removed) --------------------------

/**
 * module_refcount(): the sum of every CPU's counter, plain reads one after another, with
 * no lock and nothing keeping getters and putters still while it reads.
 */
function* moduleRefcount(k: Kernel, mod: Module<ModuleRef>): StepGen<number> {
  let total = 0
  for (const cpu of k.onlineCpus()) total += yield* k.localRead(mod.priv.ref, cpu)
  return total
}

/**
 * __try_stop_module(), now called directly instead of through stop_machine_run(): if the
 * module is in use and the caller will not wait, refuse (unless forced); else mark it
 * GOING. The GOING store is returned to the caller rather than made here: see
 * sys_delete_module below for when it becomes visible.
 */
function* __try_stop_module(k: Kernel, mod: Module<ModuleRef>, nonblock: boolean, force: boolean): StepGen<{ret: number; forced: boolean}> {
  let forced = false
  if (nonblock && (yield* moduleRefcount(k, mod)) !== 0) {
    forced = force // try_force_unload(): O_TRUNC with CONFIG_MODULE_FORCE_UNLOAD
    if (!forced) return {ret: EWOULDBLOCK, forced}
  }
  // Mark it as dying: sref->mod->state = MODULE_STATE_GOING (into the store buffer)
  return {ret: 0, forced}
}

/**
 * wait_for_zero_refcount(): drop module_mutex, then sleep uninterruptibly until a put
 * wakes us and the sum reads 0.
 */
function* waitForZeroRefcount(k: Kernel, mod: Module<ModuleRef>): StepGen {
  const s = state(k)
  yield* k.mutexUnlock(s.moduleMutex)
  for (;;) {
    yield* k.setCurrentState(TASK_UNINTERRUPTIBLE)
    if ((yield* moduleRefcount(k, mod)) === 0) break
    yield* k.schedule('wait_for_zero_refcount', mod)
  }
  yield* k.setCurrentState(TASK_RUNNING)
  yield* k.mutexLock(s.moduleMutex)
}

/** __link_module(): list_add(&mod->list, &modules), called directly rather than under stop_machine. */
function* __link_module(k: Kernel): StepGen<number> {
  yield* k.step()
  return 0
}

export default defineVariant<ModuleRef>({
  meta: {
    id: 'lockfree-naive',
    title: 'no stop: per-CPU refcounts summed without quiescing getters',
    authors: ['Max Krasnyansky', 'Tejun Heo', 'Rusty Russell'],
    date: '2008-02-13',
    kernels: 'never merged (2008 LKML discussion, against 2.6.24)',
    sources: [
      'LKML 2008-02-13, Tejun Heo: Re: Module loading/unloading and "The Stop Machine"',
      'kernel/module.c, include/linux/module.h of 2.6.24: try_module_get, module_put, module_refcount, __try_stop_module, sys_delete_module',
      'Max Krasnyansky, quoted in the same reply: "maybe we do not need the stop machine any more"',
    ],
    fixed: 'no stop_machine on module removal: no CPU is held, no latency spike',
    broke: 'try_module_get is no longer atomic against the remover: a get racing the sum is missed, the module is freed while referenced',
  },
  migrationClass: 'fifo',
  normalSched: 'cfs',

  boot(k) {
    state.set(k, {moduleMutex: k.mutex('module_mutex')})
    bootStopMachineRun(k) // behind the stop_machine trace op
  },

  /** sys_init_module(): 2.6.24's, __link_module() (list_add) called directly. */
  initModule: (k, mod, init) =>
    sysInitModule(k, mod, init, state(k).moduleMutex, __link_module),

  // module_unload_init(), try_module_get() and module_put() of 2.6.24, unchanged: the
  // test and the increment in one get_cpu() region, nothing more
  ...localRefcount,

  *deleteModule(k, mod, flags) {
    const s = state(k)
    yield* k.mutexLock(s.moduleMutex)
    // Doing init or already dying?
    if (mod.state !== 'live') {
      yield* k.mutexUnlock(s.moduleMutex)
      return EBUSY
    }
    // Set this up before setting mod->state
    mod.priv.waiter = k.current
    yield* k.step()
    // try_stop_module(): no stop_machine_run, just __try_stop_module on this CPU
    const {ret, forced} = yield* __try_stop_module(k, mod, !flags.wait, flags.force)
    if (ret !== 0) {
      yield* k.mutexUnlock(s.moduleMutex)
      return ret
    }
    // Never wait if forced. This second sum was dead code for O_NONBLOCK under the stop
    // (the count had just read 0 with every CPU held). Without the stop it does not close
    // the window either: the GOING store and these counter loads, against a getter's state
    // load and counter store, are the store-buffering pattern, and with no smp_mb() between
    // them x86 lets the loads complete while the store still sits in this CPU's store
    // buffer, so each side can miss the other. The model is sequentially consistent; it
    // takes that order explicitly: the loads, then the store drains.
    const busy = !forced && (yield* moduleRefcount(k, mod)) !== 0
    yield* k.setModuleState(mod, 'going')
    if (busy) yield* waitForZeroRefcount(k, mod)
    // Final destruction now no one is using it.
    yield* k.mutexUnlock(s.moduleMutex)
    yield* k.moduleExit(mod)
    yield* k.mutexLock(s.moduleMutex)
    // free_module(): __unlink_module() called directly (list_del), then the memory is freed
    yield* k.step()
    yield* k.freeModule(mod)
    yield* k.mutexUnlock(s.moduleMutex)
    return 0
  },

  stopMachine: (k, fn) => stopMachineRun(k, fn),
})
