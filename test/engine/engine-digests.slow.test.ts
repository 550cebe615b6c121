/**
 * The engine's outputs, pinned: for every shipped trace × variant, a digest of the logged
 * run (result and event log, module operations included) and of the run of the next seed,
 * and for a few machine sizes a stop_machine removal. A faster engine must give the same
 * bytes; a deliberate change of behaviour regenerates the digests with
 * `UPDATE_GOLDEN=1 npx vitest run test/engine/engine-digests.slow.test.ts` (review which
 * entries moved, and why, before committing them).
 */
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {produce} from 'immer'
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {loadTraceArg, shippedTraceFiles, traceName} from '../../src/scenario/shipped.ts'
import type {Scenario} from '../../src/scenario/types.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

const FILE = fileURLToPath(new URL('../golden/engine-digests.json', import.meta.url))

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16)
}

/** idle-rmmod on `cpus` CPUs, rmmod on CPU 0. */
function idleRmmod(cpus: number): Scenario {
  return produce(loadTraceArg('idle-rmmod'), (s) => {
    s.machine.cpus = cpus
    s.tasks[0].cpus = [0]
  })
}

async function digests(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const file of shippedTraceFiles()) {
    const s = loadTraceArg(file)
    for (const id of SHIPPED_VARIANTS) {
      const v = await loadVariant(id)
      const logged = runScenario(s, v, {log: true, logOps: true})
      out[`${traceName(file)} × ${id}`] = digest([logged.result, logged.log])
      out[`${traceName(file)} × ${id} seed+1`] = digest(runScenario(s, v, {seed: s.seed + 1}).result)
    }
  }
  const stopMachine = await loadVariant('stop-machine')
  for (const n of [256, 4096]) out[`idle-rmmod@${n} × stop-machine`] = digest(runScenario(idleRmmod(n), stopMachine).result)
  return out
}

describe('engine outputs', () => {
  it('are byte-identical to the pinned digests for every shipped trace × variant', async () => {
    const actual = await digests()
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(FILE, `${JSON.stringify(actual, null, 2)}\n`)
    const pinned = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    // Only the pinned entries: a variant or trace added later has no digest yet.
    const compared = Object.fromEntries(Object.keys(pinned).map((k) => [k, actual[k]]))
    expect(compared).toEqual(pinned)
  })
})
