import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.ts'
import {variantFolder} from '../helpers/user-variant-file.ts'

const {dir, variant} = variantFolder()

// In-process (runCli), but each watched command starts a child process (bin/dev.js) that
// loads the sources through tsx: generous limits for a loaded machine.
describe('variants loaded from a file outside the repository', {timeout: 180_000}, () => {
  it('runs a user variant through the same API', async () => {
    const f = variant('mine.ts', `export default {...sm, meta: {...sm.meta, id: 'mine', title: 'my stop_machine'}}`)
    const r = await runCli('run', 'idle-rmmod', '--variant', f, '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout) as {variant: string; metrics: {cpus_stopped: number}}
    expect(result.variant).toBe('mine')
    expect(result.metrics.cpus_stopped).toBe(4)
  })

  it('rejects a file that does not export a variant, exit 2', async () => {
    const f = join(dir, 'none.ts')
    writeFileSync(f, 'export const x = 1\n')
    const r = await runCli('run', 'idle-rmmod', '--variant', f)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/does not export a variant/)
  })

  it('names file:line:column (in characters) of a syntax error in one line, TypeScript or JavaScript, exit 2', async () => {
    for (const name of ['broken.ts', 'broken.mjs']) {
      const f = join(dir, name)
      writeFileSync(f, 'export default {\n  meta: {id: "x"\n  nope nope\n}\n')
      const r = await runCli('run', 'idle-rmmod', '--variant', f)
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(`kreplay: ${f}:3:3: Expected "}" but found "nope"\n`)
    }
    // Columns count characters, as a trace's do, not esbuild's UTF-8 bytes.
    const wide = join(dir, 'wide.ts')
    writeFileSync(wide, 'const s = "ääääää"; nope nope\nexport default {}\n')
    expect((await runCli('run', 'idle-rmmod', '--variant', wide)).stderr).toBe(`kreplay: ${wide}:1:26: Expected ";" but found "nope"\n`)
  })

  it('turns a variant that throws into one clear error naming when and where, exit 2', async () => {
    const f = variant('throws.ts', `export default {...sm, meta: {...sm.meta, id: 'thrower'}, *deleteModule(k) { yield* k.step(); throw new Error('boom') }}`)
    const r = await runCli('run', 'idle-rmmod', '--variant', f)
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toMatch(/^kreplay: thrower: at [\d.]+ ms in rmmod on cpu\d: boom$/)
  })

  it('runs a watched command to the same output and exit code as an unwatched one', async () => {
    const f = variant('same.ts', `export default sm`)
    const watched = await runCli('compare', 'idle-rmmod', 'io-storm', '--variants', f, '--format', 'json')
    const plain = await runCli('compare', 'idle-rmmod', 'io-storm', '--variants', 'stop-machine', '--format', 'json')
    expect(watched.code).toBe(0)
    expect(watched.stdout).toBe(plain.stdout)
    const bad = await runCli('run', 'no-such-trace', '--variant', f)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^kreplay: no trace "no-such-trace"/)
  })

  it('ends a variant that yields forever at the step budget or horizon, not in a hung tool', async () => {
    const f = variant('forever.ts', `export default {...sm, meta: {...sm.meta, id: 'forever'}, *deleteModule(k) { for (;;) yield* k.cpuRelax() }}`)
    const r = await runCli('run', 'idle-rmmod', '--variant', f, '--json')
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout) as {ended: string; metrics: {rmmod_latency: number}}
    expect(['horizon', 'step-budget']).toContain(result.ended)
    expect(result.metrics.rmmod_latency).toBeGreaterThan(0)
  })
})
