/**
 * id:       isolcpu-skip
 * title:    stop_machine_run with no stopper on isolated CPUs (Max Krasnyansky's patch)
 * authors:  Max Krasnyansky
 * date:     2008-01
 * kernels:  never merged (posted against 2.6.24's stop_machine_run)
 * sources:  in `meta` below, the one place provenance is kept (test/variants/provenance.test.ts
 *           checks that these lines agree with it).
 *
 * The patch, as the LKML thread describes it: stop_machine() forks no stopmachine thread for a
 * CPU in cpu_isolated_map (isolcpus=). Everything else is 2.6.24's stop_machine_run and
 * module removal, ./stop-machine-run.ts, which this file reuses whole: the one change is
 * the CPU list kstopmachine forks for, `stopCpus` below.
 *
 * Fixed: what Max complained of. A FIFO 99 task on an isolated CPU that never sleeps no
 * longer keeps the stop from starting, so the other CPUs are no longer left spinning in
 * yield() at priority 99 behind it, and the isolated CPU's real-time task is never
 * preempted or delayed by a module removal.
 * Broke: what Tejun answered (LKML, 13 Feb 2008). The stop is what makes try_module_get() atomic
 * against __try_stop_module(): a getter is a get_cpu() region, and a CPU held by its
 * stopper cannot be inside one. An isolated CPU is not held, so a get there runs
 * concurrently with the refcount check: it reads live before GOING is stored and
 * increments its counter after the check has read it, and the module is freed under its
 * reference. free_module's unlink stop skips it as well.
 */
import {defineVariant, type Kernel, type StepGen, type StopFn} from '../src/api.ts'
import {bootStopMachineRun, initModuleStopping, localRefcount, stopMachineRun, sysDeleteModule, type ModuleUnload} from './stop-machine-run.ts'

/**
 * for_each_online_cpu(i), skipping kstopmachine's own CPU and, with the patch, every CPU
 * in cpu_isolated_map: those get no stopmachine thread.
 */
function stopCpus(k: Kernel, self: number): number[] {
  return k.onlineCpus().filter((i) => i !== self && !k.cpuIsolated(i))
}

/** stop_machine_run(fn, data, NR_CPUS) with the patch. */
function stopMachine(k: Kernel, fn: StopFn): StepGen<number> {
  return stopMachineRun(k, fn, stopCpus)
}

export default defineVariant<ModuleUnload>({
  meta: {
    id: 'isolcpu-skip',
    title: 'stop_machine_run with no stopper on isolated CPUs (Max Krasnyansky\'s patch)',
    authors: ['Max Krasnyansky'],
    date: '2008-01',
    kernels: 'never merged (posted against 2.6.24\'s stop_machine_run)',
    sources: [
      'Max Krasnyansky, [CPUISOL] series against 2.6.24, Jan 2008: the patch that makes stop_machine skip CPUs in cpu_isolated_map (the patch itself not checked; never merged)',
      'LKML 2008-02-13, Tejun Heo: Re: Module loading/unloading and "The Stop Machine", quoting Max: "One of the patches makes stop machine ignore the isolated CPUs"',
      'kernel/stop_machine.c and kernel/module.c of 2.6.24 (./stop-machine-run.ts)',
    ],
    fixed: 'no stopper on isolated CPUs: a FIFO 99 task there no longer hangs the box, and it is never preempted by a removal',
    broke: 'a get on an isolated CPU is not quiesced: it races the refcount check, and the module is freed under it',
  },
  migrationClass: 'fifo',
  normalSched: 'cfs',

  boot: bootStopMachineRun,
  initModule: initModuleStopping(stopMachine),
  ...localRefcount,
  deleteModule: (k, mod, flags) => sysDeleteModule(k, mod, flags, stopMachine),
  stopMachine,
})
