import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.ts'

/** A trace of 3,000 tasks: about 10 MiB by the loader's estimate, so refused under --max-memory 1 and run under the default. */
function bigTrace(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kreplay-max-memory-')), 'many.yaml')
  writeFileSync(file, 'kreplay: 1\nname: many\nhorizon: 10us\nmachine: {cpus: 4}\nmodules: [{name: m}]\ntasks:\n  - {name: t, count: 3000, program: [{get: m}, {put: m}]}\n')
  return file
}

describe('--max-memory on every command that loads a trace', () => {
  const trace = bigTrace()
  it.each([
    ['run', trace, '--variant', 'stop-machine'],
    ['compare', trace, '--variants', 'stop-machine'],
    ['diff', trace, 'stopref', 'stop-machine'],
    ['explore', trace, '--variant', 'stop-machine', '--budget', '1'],
    ['report', trace, '--variants', 'stop-machine', '--out', join(tmpdir(), 'kreplay-never-written')],
  ])('%s refuses a trace the limit does not allow, before it runs, exit 2', async (id, ...args) => {
    const r = await runCli(id, ...args, '--max-memory', '1')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/many\.yaml:7:\d+: tasks\[0\]\.count: simulating 3,000 tasks on 4 CPUs needs about .*, more than --max-memory allows \(1 MiB\); raise --max-memory/)
  })

  it('explore runs it under the default limit', async () => {
    const r = await runCli('explore', trace, '--variant', 'stop-machine', '--budget', '1', '--json')
    expect(r.code).toBe(0)
  }, 60_000)
})
