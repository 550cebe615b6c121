/**
 * id:       stop-machine-kthreads
 * title:    stop_machine: simplify: one kstop/N kthread per CPU, created on every call
 * authors:  Rusty Russell
 * date:     2008-07
 * kernels:  2.6.27 (2.6.28 only moved the threads into an RT workqueue)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * Fixed: the stop has no initiator thread any more. __stop_machine() creates one
 * "kstop/N" kthread per online CPU, the caller's included, binds it there with
 * kthread_bind() (no migration thread, no yield() in the first stage) and makes it FIFO
 * 99. The caller wakes them all between get_cpu() and put_cpu(), so that its own CPU's
 * thread cannot start before the others are woken, and sleeps until the last of them
 * acknowledges EXIT. The acks are decentralised: the last thread to ack a state moves
 * the machine to the next one; fn runs on the first online CPU; the threads exit by
 * themselves (no kthread_stop).
 * Broke / left broken: every call creates num_online_cpus() threads through kthreadd, one
 * after another, before anything is stopped: the latency grows with the CPU count, and
 * thread creation dominates it (what Kay Sievers measured on module load, what SGI
 * measured at boot). The threads are still FIFO 99 and spin (cpu_relax) until the last
 * one arrives, so a FIFO 99 task that never sleeps still keeps the stop from starting
 * while every other CPU spins at priority 99.
 *
 * Modelled: kernel/stop_machine.c after ffdb5976c476 (2.6.27), and module.c of 2.6.27,
 * which is 2.6.24's (./stop-machine-run.ts) with stop_machine(fn, data, NULL) in place of
 * stop_machine_run(fn, data, NR_CPUS). The trace's `stop_machine` op is the same call.
 */
import {defineVariant, kernelState, type Completion, type Kernel, type Mutex, type StepGen, type StopFn, type Task, type Word} from '../src/api.ts'
import {bootModuleC, initModuleStopping, localRefcount, sysDeleteModule, type ModuleUnload} from './stop-machine-run.ts'

// enum stopmachine_state
const STOPMACHINE_NONE = 0
const STOPMACHINE_PREPARE = 1
const STOPMACHINE_DISABLE_IRQ = 2
const STOPMACHINE_RUN = 3
const STOPMACHINE_EXIT = 4

/** stop_machine.c's static state for one run. */
interface State {
  /** static DEFINE_MUTEX(lock) */
  readonly lock: Mutex
  /** static enum stopmachine_state state */
  readonly state: Word
  /** static atomic_t thread_ack */
  readonly threadAck: Word
  /** static unsigned int num_threads (set under `lock` before any thread runs) */
  numThreads: number
  /** static struct completion finished (init_completion() on every call) */
  finished: Completion
}
const state = kernelState<State>('stop-machine-kthreads')

/** struct stop_machine_data: what one CPU's thread runs at STOPMACHINE_RUN. */
interface StopMachineData {
  readonly fn: StopFn
  /**
   * Written by the CPU's thread, read by __stop_machine() after every thread has exited: a
   * kernel word, so that a captured state holds it once its writer is gone.
   */
  readonly fnret: Word
}

// ---- kernel/stop_machine.c (2.6.27) -----------------------------------------------------

/** set_state(): reset the ack counter, then publish the new state. */
function* setState(k: Kernel, newstate: number): StepGen {
  const s = state(k)
  /* Reset ack counter. */
  yield* k.atomicSet(s.threadAck, s.numThreads)
  yield* k.mb() // smp_wmb()
  yield* k.atomicSet(s.state, newstate)
}

/** ack_state(): the last one to ack a state moves to the next state, or, after EXIT, completes `finished`. */
function* ackState(k: Kernel): StepGen {
  const s = state(k)
  if (yield* k.atomicDecAndTest(s.threadAck)) {
    /* If we're the last one to ack the EXIT, we're finished. */
    const st = yield* k.atomicRead(s.state)
    if (st === STOPMACHINE_EXIT) yield* k.complete(s.finished)
    else yield* setState(k, st + 1)
  }
}

/**
 * stop_cpu(): the thread that stops one CPU. It exits by itself rather than waiting for
 * kthread_stop(), because it's easier for hotplug CPU.
 */
function* stopCpu(k: Kernel, smdata: StopMachineData): StepGen<number> {
  const s = state(k)
  let curstate = STOPMACHINE_NONE

  /* Simple state machine */
  do {
    /* Chill out and ensure we re-read stopmachine_state. */
    yield* k.spinUntil([s.state], () => s.state.value !== curstate)
    const newstate = yield* k.atomicRead(s.state)
    if (newstate !== curstate) {
      curstate = newstate
      switch (curstate) {
        case STOPMACHINE_DISABLE_IRQ:
          yield* k.localIrqDisable()
          yield* k.hardIrqDisable()
          break
        case STOPMACHINE_RUN:
          /* |= allows error detection if functions on multiple CPUs. */
          smdata.fnret.value |= yield* smdata.fn(k)
          break
      }
      yield* ackState(k)
    }
  } while (curstate !== STOPMACHINE_EXIT)

  yield* k.localIrqEnable()
  return 0 // do_exit(0)
}

/** chill(): the callback for CPUs which aren't supposed to do anything. */
function* chill(k: Kernel): StepGen<number> {
  yield* k.step()
  return 0
}

/** __stop_machine(fn, data, NULL): create, bind and raise a thread per online CPU, wake them, wait. */
function* __stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  const s = state(k)
  const active: StopMachineData = {fn, fnret: k.word('active.fnret', 0)}
  const idle: StopMachineData = {fn: chill, fnret: k.word('idle.fnret', 0)}
  const threads: Task[] = [] // kcalloc(NR_CPUS, sizeof(threads[0]), GFP_KERNEL)
  yield* k.step()

  /* Set up initial state. */
  yield* k.mutexLock(s.lock)
  s.finished = k.completion() // init_completion(&finished)
  s.numThreads = k.numOnlineCpus()
  yield* setState(k, STOPMACHINE_PREPARE)

  const first = k.onlineCpus()[0] // first_cpu(cpu_online_map)
  for (const i of k.onlineCpus()) {
    const smdata = i === first ? active : idle
    const t = yield* k.kthreadCreate((kk) => stopCpu(kk, smdata), `kstop${i}`)
    // IS_ERR(threads[i]): kthread_create cannot fail in the model
    /* Place it onto correct cpu. */
    yield* k.kthreadBind(t, i)
    /* Make it highest prio. */
    yield* k.schedSetscheduler(t, 'fifo', 99) // sched_setscheduler_nocheck(threads[i], SCHED_FIFO, {MAX_RT_PRIO-1})
    threads[i] = t
  }

  /* We've created all the threads.  Wake them all: hold this CPU so one doesn't hit this CPU until we're ready. */
  yield* k.getCpu()
  for (const i of k.onlineCpus()) yield* k.wakeUpProcess(threads[i])

  /* This will release the thread on our CPU. */
  yield* k.putCpu()
  yield* k.waitForCompletion(s.finished, 'stop_machine')
  yield* k.mutexUnlock(s.lock)

  yield* k.step() // kfree(threads)
  return active.fnret.value
}

/** stop_machine(fn, data, NULL): fn on the first online CPU while every online CPU is held. */
function* stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  /* No CPUs can come up or down during this. */
  yield* k.step() // get_online_cpus()
  const ret = yield* __stopMachine(k, fn)
  yield* k.step() // put_online_cpus()
  return ret
}

export default defineVariant<ModuleUnload>({
  meta: {
    id: 'stop-machine-kthreads',
    title: 'stop_machine: simplify: one kstop/N kthread per CPU, created on every call',
    authors: ['Rusty Russell'],
    date: '2008-07',
    kernels: '2.6.27 (2.6.28 only moved the threads into an RT workqueue)',
    sources: [
      'ffdb5976c476 "stop_machine: simplify" (Rusty Russell, 2008), merged for 2.6.27: set_state, ack_state, stop_cpu, chill, __stop_machine, stop_machine',
      '04321587584 "Wean existing callers off stop_machine_run" (Rusty Russell, 2008): module.c calls stop_machine(__try_stop_module, &sref, NULL) (recalled, not checked against the commit)',
      'c9583e55fa2b "stop_machine: use workqueues" and 9ea09af3bd30 "stop_machine: introduce stop_machine_create/destroy" (2.6.28, 2.6.29): the threads move into a FIFO 99 RT workqueue',
      'Rusty Russell, e91defa26c52 "module: don\'t use stop_machine on module load" (2009), carrying Kay Sievers\' measurements of the per-call thread creation',
    ],
    fixed: 'no initiator thread and no yield(): every CPU\'s thread is bound there at creation, the caller\'s CPU included, and acks are decentralised',
    broke: 'num_online_cpus() kthreads created on every call before anything stops: latency linear in the CPU count, dominated by thread creation; still FIFO 99, so a FIFO 99 hog still blocks the stop',
  },
  migrationClass: 'fifo',
  normalSched: 'cfs',

  boot(k) {
    bootModuleC(k)
    state.set(k, {
      lock: k.mutex('lock'),
      state: k.word('state', STOPMACHINE_NONE),
      threadAck: k.word('thread_ack', 0),
      numThreads: 0,
      finished: k.completion(),
    })
  },
  initModule: initModuleStopping(stopMachine),
  ...localRefcount,
  deleteModule: (k, mod, flags) => sysDeleteModule(k, mod, flags, stopMachine),
  stopMachine,
})
