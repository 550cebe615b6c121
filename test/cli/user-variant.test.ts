import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {cli, runCli} from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'kreplay-variant-'))
function variant(name: string, body: string): string {
  const f = join(dir, name)
  writeFileSync(f, `import sm from '${repo}variants/stop-machine.ts'\n${body}\n`)
  return f
}

// In-process (runCli), but each watched command starts a worker thread that loads the
// sources through tsx: generous limits for a loaded machine.
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

  // A variant stuck in a loop, and one stuck without using the CPU (blocked in Atomics.wait):
  // every command is watched for either (the watchdog sees no progress, not CPU use), and
  // the blocked one leaves the machine's two cores to the other tests for the 7 s these take.
  const spinner = variant('spins.ts', `export default {...sm, meta: {...sm.meta, id: 'spinner'}, *tryModuleGet() { for (;;) { /* no yield */ } }}`)
  const blocked = variant('blocks.ts', `export default {...sm, meta: {...sm.meta, id: 'blocked'}, *tryModuleGet() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) }}`)
  // One test per command, so that each has its own time limit on a loaded machine.
  it.each([
    {id: 'run', file: spinner, args: ['io-storm', '--variant', spinner]},
    {id: 'compare', file: blocked, args: ['io-storm', '--variants', `stop-machine,${blocked}`]},
    {id: 'diff', file: blocked, args: ['io-storm', 'stop-machine', blocked]},
    {id: 'explore', file: blocked, args: ['small-race', '--variant', blocked, '--workers', '2']},
    // io-storm's expect: has a default, so check runs the variant (small-race's would not).
    {id: 'check', file: blocked, args: ['io-storm', '--variant', blocked]},
    {id: 'report', file: blocked, args: ['small-race', '--variants', blocked, '--out', join(dir, 'report-of-blocked')]},
  ])('stops a variant that never yields after --timeout without progress, exit 2: $id', async ({id, file, args}) => {
    const r = await runCli(id, ...args, '--timeout', '1')
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`kreplay: ${file}: the simulation made no progress for 1.00 s of wall time: variant code that loops without yielding a step? (raise --timeout if a single step is just slow)`)
  })

  it('lets a watched command that makes progress run past --timeout', async () => {
    // A search of 1.5 s under --timeout 1: its runs beat all along. (The watched thread used
    // to get no pulse at all, so any command with a user's variant ended after --timeout.)
    const f = variant('steady.ts', `export default {...sm, meta: {...sm.meta, id: 'steady'}}`)
    const start = performance.now()
    const r = await runCli('explore', 'small-race', '--variant', f, '--time', '1500ms', '--timeout', '1', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(performance.now() - start).toBeGreaterThan(1500)
    expect((JSON.parse(r.stdout) as {explored: number}).explored).toBeGreaterThan(1000)
  })

  it('stops a watched command only while a run is under way: loading and judging are not a stall', async () => {
    // small-race's expect: names only shipped variants: the spinner is loaded and never run.
    // Loading the command's modules in the watched thread takes longer than --timeout 1
    // here, and used to be taken for a stalled simulation.
    const r = await runCli('check', 'small-race', '--variant', spinner, '--timeout', '1')
    expect(r.stderr).toBe('kreplay: nothing was checked for spinner: no trace\'s expect: block names it or has a default\n')
    expect(r.code).toBe(0)
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

  // Spawned: the real process ends although its worker thread is stuck in a loop.
  it('ends the real process of a command whose variant never yields, exit 2', () => {
    const r = cli('run', 'io-storm', '--variant', spinner, '--timeout', '1')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^kreplay: .*spins\.ts: the simulation made no progress for 1\.00 s of wall time/)
  })
})
