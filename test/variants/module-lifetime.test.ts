import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {SHIPPED_VARIANTS} from '../../src/variants/registry.ts'
import {events, runInline} from '../helpers/run-inline.ts'

const trace = (name: string) => readFileSync(new URL(`../../traces/${name}.yaml`, import.meta.url), 'utf8')

/** What delete_module() returned during init, per era (the trace's log). */
const DURING_INIT: Record<(typeof SHIPPED_VARIANTS)[number], string | null> = {
  stopref: '-11 (EWOULDBLOCK)', // 2.6.0: only GOING is refused; the init reference makes the sum 1
  krmmod: null, // the patch as posted ignores -EWOULDBLOCK and sleeps for good
  'stop-machine-run': '-16 (EBUSY)', // "Doing init or already dying?"
  'isolcpu-skip': '-16 (EBUSY)',
  'lockfree-naive': '-16 (EBUSY)',
  'stop-machine-kthreads': '-16 (EBUSY)',
  'sync-sched-wait': '-16 (EBUSY)',
  'stop-machine': '-16 (EBUSY)',
  'isolcpu-skip-cpustop': '-16 (EBUSY)',
  'atomic-refcnt': '-16 (EBUSY)',
}

describe('module lifetime', () => {
  it.each(SHIPPED_VARIANTS)('%s: a removal during init is refused as its era refuses it, and frees nothing', async (id) => {
    const out = await runInline(trace('init-removal'), id)
    const lines = events(out, ['rmmod', 'insmod'])
    const ret = lines.find((l) => l.includes('delete_module(slowdev)'))
    expect(ret === undefined ? null : ret.split(' = ')[1]).toBe(DURING_INIT[id])
    expect(events(out).some((l) => l.includes('free_module'))).toBe(false)
    expect(out.result.findings.filter((f) => f.kind === 'use-after-free')).toEqual([])
  })

  it('an exit() that loads a module deadlocks only while rmmod holds module_mutex across exit()', async () => {
    for (const id of SHIPPED_VARIANTS) {
      const out = await runInline(trace('exit-request-module'), id)
      const deadlocked = out.result.findings.some((f) => f.kind === 'deadlock')
      expect([id, deadlocked]).toEqual([id, id === 'stopref' || id === 'krmmod'])
      // where it does not, modprobe ran init_module of the other module to the end
      if (!deadlocked) expect(events(out, ['modprobe']).some((l) => l.endsWith('exit'))).toBe(true)
    }
  })
})
