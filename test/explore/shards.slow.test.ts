import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {shardFromEnv} from '../../src/explore/parallel/shard-env.ts'
import {BIN} from '../helpers/cli.ts'

const run = promisify(execFile)
const TINY = new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname

/** Runs `kreplay explore` as its own process; its exit code and stdout. */
async function kreplay(args: string[], env: Record<string, string> = {}): Promise<{code: number; stdout: string}> {
  try {
    const r = await run(process.execPath, [BIN, ...args], {env: {...process.env, ...env}, maxBuffer: 1 << 24})
    return {code: 0, stdout: r.stdout}
  } catch (err) {
    const e = err as {code: number; stdout: string}
    return {code: e.code, stdout: e.stdout}
  }
}

// Slow tier: five kreplay processes.
describe('shards that batch systems spread (--shard auto)', () => {
  it('reads its shard from Kubernetes, Slurm or explicit variables, and refuses what does not fit', () => {
    expect(shardFromEnv({JOB_COMPLETION_INDEX: '2', KREPLAY_SHARD_COUNT: '4'})).toEqual({index: 2, count: 4})
    expect(shardFromEnv({SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8'})).toEqual({index: 4, count: 8})
    expect(shardFromEnv({KREPLAY_SHARD_INDEX: '0', KREPLAY_SHARD_COUNT: '1'})).toEqual({index: 0, count: 1})
    expect(() => shardFromEnv({JOB_COMPLETION_INDEX: '4', KREPLAY_SHARD_COUNT: '4'})).toThrow(/expected 0 <= index < count/)
    expect(() => shardFromEnv({JOB_COMPLETION_INDEX: '0'})).toThrow(/KREPLAY_SHARD_COUNT/)
    expect(() => shardFromEnv({})).toThrow(/no batch system found/)
  })

  it('four shard processes and a merge give the verdict and total of one process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-shards-'))
    const args = ['explore', TINY, '--variant', 'atomic-refcnt', '--strategy', 'exhaustive', '--json']
    const whole = await kreplay(args)
    expect(whole.code).toBe(0)
    const parts = await Promise.all([0, 1, 2, 3].map((i) => kreplay([...args, '--shard', 'auto'], {JOB_COMPLETION_INDEX: String(i), KREPLAY_SHARD_COUNT: '4'})))
    const files = parts.map((p, i) => {
      expect(p.code).toBe(0)
      const f = join(dir, `part${i}.json`)
      writeFileSync(f, p.stdout)
      return f
    })
    const merged = await kreplay(['explore', '--merge', ...files, '--json'])
    expect(merged.code).toBe(0)
    const one = JSON.parse(whole.stdout) as {explored: number; complete: boolean; findings: object}
    const all = JSON.parse(merged.stdout) as {explored: number; complete: boolean; findings: object}
    expect({complete: all.complete, findings: all.findings}).toEqual({complete: true, findings: {}})
    expect(all.complete).toBe(one.complete)
    expect(all.explored).toBe(one.explored)
    expect(JSON.parse(readFileSync(files[3], 'utf8'))).toMatchObject({shard: {index: 3, count: 4}})
  }, 240_000)
})
