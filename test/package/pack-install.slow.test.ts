/**
 * kreplay as a user installs it: packed (npm pack builds dist/ and the manifest), installed
 * from the tarball into an empty prefix, and run from a folder outside the repository.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli, type CliResult} from '../helpers/cli.ts'
import {packAndInstall, type Installed} from '../helpers/pack-install.ts'

const dir = mkdtempSync(join(tmpdir(), 'kreplay-pack-'))
const work = join(dir, 'elsewhere')
let installed: Installed

/** The installed `kreplay`, run in a folder outside the repository. */
function kreplay(...args: string[]): CliResult {
  const r = spawnSync(installed.bin, args, {cwd: work, encoding: 'utf8', maxBuffer: 1 << 26, env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production'}})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

beforeAll(() => {
  installed = packAndInstall(dir)
  mkdirSync(work)
}, 600_000)

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
}, 120_000)

describe('the packed and installed kreplay', () => {
  it('ships the compiled code, manifest, variants, traces, docs, README and LICENSE, and no sources or build tools', () => {
    for (const f of ['bin/run.js', 'dist/src/commands/run.js', 'dist/variants/stop-machine.js', 'oclif.manifest.json', 'variants/stop-machine.ts', 'traces/small-race.yaml', 'docs/trace-format.md', 'README.md', 'LICENSE']) {
      expect(existsSync(join(installed.pkg, f)), f).toBe(true)
    }
    for (const f of ['src', 'test', 'bin/dev.js', 'tsconfig.json']) expect(existsSync(join(installed.pkg, f)), f).toBe(false)
    for (const dev of ['typescript', 'fast-check', 'vitest', 'oclif']) expect(existsSync(join(installed.prefix, 'node_modules', dev)), dev).toBe(false)
  })

  it('prints its version', () => {
    const r = kreplay('--version')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^kreplay\/\d+\.\d+\.\d+ /)
  })

  it('compares shipped traces and variants', () => {
    const r = kreplay('compare', 'small-race', 'idle-rmmod', '--variants', 'stop-machine,lockfree-naive')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/small-race/)
    expect(r.stdout).toMatch(/lockfree-naive/)
  })

  it('runs a shipped trace to the bytes the sources print', async () => {
    const r = kreplay('run', 'get-vs-remove', '--variant', 'lockfree-naive', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({variant: 'lockfree-naive'})
    expect(r.stdout).toBe((await runCli('run', 'get-vs-remove', '--variant', 'lockfree-naive', '--json')).stdout)
  })

  it('explores a shipped trace and finds the naive race, in worker threads too', () => {
    for (const workers of ['1', '2']) {
      const r = kreplay('explore', 'small-race', '--variant', 'lockfree-naive', '--workers', workers, '--json')
      expect([0, 1]).toContain(r.code)
      const out = JSON.parse(r.stdout) as {findings: Record<string, unknown>}
      expect(Object.keys(out.findings)).toContain('use-after-free')
    }
  })

  it("runs a user's TypeScript variant that imports kreplay's sources as docs/variant-api.md writes them, as CommonJS or as an ES module", async () => {
    // The worked example of docs/variant-api.md, its imports pointed at the installed package
    // (which ships no src/: they reach the compiled modules it runs).
    const example = readFileSync(new URL('../fixtures/refcount-lock.ts', import.meta.url), 'utf8').replaceAll('../../', `${installed.pkg}/`)
    const fromSources = await runCli('run', 'idle-rmmod', '--variant', new URL('../fixtures/refcount-lock.ts', import.meta.url).pathname, '--json')
    expect(fromSources.code).toBe(0)
    const esm = join(work, 'esm')
    mkdirSync(esm)
    writeFileSync(join(esm, 'package.json'), '{"type": "module"}\n')
    for (const folder of [work, esm]) {
      const file = join(folder, 'my-lock-variant.ts')
      writeFileSync(file, example)
      const r = kreplay('run', 'idle-rmmod', '--variant', file, '--json')
      expect(r.stderr, folder).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(fromSources.stdout)
    }
  })
})
