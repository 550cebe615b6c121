import {describe, expect, it} from 'vitest'
import type {Engine} from '../../src/engine/engine.ts'
import type {Mutex} from '../../src/engine/kernel/kernel-scheduling.ts'
import {runScenario} from '../../src/engine/run.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

/** The mutexes rmmod took and released, in order, as `+name` and `-name`, and where mod->exit() ran. */
async function rmmodLocking(variant: string): Promise<string[]> {
  const seen: string[] = []
  const watch = (e: Engine): void => {
    const k = e.k
    const lock = k.mutexLock.bind(k)
    const unlock = k.mutexUnlock.bind(k)
    const mine = (): boolean => k.current.name === 'rmmod'
    k.mutexLock = (m: Mutex) => {
      if (mine()) seen.push(`+${m.name}`)
      return lock(m)
    }
    k.mutexUnlock = (m: Mutex) => {
      if (mine()) seen.push(`-${m.name}`)
      return unlock(m)
    }
    const exit = k.moduleExit.bind(k)
    k.moduleExit = (mod) => {
      seen.push('exit')
      return exit(mod)
    }
  }
  runScenario(loadTraceArg('idle-rmmod'), await loadVariant(variant), {prepare: watch})
  return seen
}

describe('module.c of 3.13–3.18 (stop-machine, isolcpu-skip-cpustop)', () => {
  it.each(['stop-machine', 'isolcpu-skip-cpustop'])('%s: try_stop_module and free_module each stop the machine under module_mutex; exit() runs without it', async (id) => {
    expect(await rmmodLocking(id)).toEqual([
      // delete_module: find_module and try_stop_module's stop_machine(__try_stop_module)
      '+module_mutex',
      '+stop_cpus_mutex',
      '-stop_cpus_mutex',
      '-module_mutex',
      'exit',
      // free_module: stop_machine(__unlink_module) under module_mutex
      '+module_mutex',
      '+stop_cpus_mutex',
      '-stop_cpus_mutex',
      '-module_mutex',
    ])
  })
})
