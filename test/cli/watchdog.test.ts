/**
 * The watchdog of commands given a user's variant file (src/cli/watch.ts): a variant that
 * never yields ends in one clear error after --timeout without progress, in every command
 * that runs variants and in the real process; progress, loading and judging are not a stall.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {cli, runCli} from '../helpers/cli.ts'
import {variantFolder} from '../helpers/user-variant-file.ts'

const {dir, variant} = variantFolder()

// In-process (runCli), but each watched command starts a child process (bin/dev.js) that
// loads the sources through tsx: generous limits for a loaded machine.
describe('the watchdog of a command given a variant file', {timeout: 180_000}, () => {
  // A variant stuck in a loop, and one stuck without using the CPU (blocked in Atomics.wait):
  // every command is watched for either (the watchdog sees no progress, not CPU use), and
  // the blocked one leaves the machine's two cores to the other tests while it waits.
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
    const r = await runCli(id, ...args, '--timeout', '0.5')
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`kreplay: ${file}: the simulation made no progress for 500 ms of wall time: variant code that loops without yielding a step? (raise --timeout if a single step is just slow)`)
  })

  it('takes --timeout in seconds, a fraction allowed, down to the watchdog\'s 0.1 s, and refuses anything else, exit 2', async () => {
    for (const bad of ['0', '0.05', '-1', '1e3', 'x']) {
      const r = await runCli('run', 'io-storm', '--variant', blocked, '--timeout', bad)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`--timeout: Expected a number of seconds of at least 0.1 (e.g. 10 or 0.5) but received: ${bad}`)
    }
    // .5 and 1. are numbers, as in a trace's durations
    expect((await runCli('run', 'io-storm', '--variant', blocked, '--timeout', '.5')).stderr).toContain('no progress for 500 ms')
  })

  it('lets a watched command that makes progress run past --timeout', async () => {
    // A search of 1.5 s under --timeout 1: its runs beat all along. (The watched command used
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
    // small-race's expect: names only shipped variants: this spinner is loaded and never run.
    // Loading the command's modules in the watched process takes longer than --timeout 0.5
    // (half a second or more), and used to be taken for a stalled simulation. The file
    // imports nothing, so that its own import (watched: top-level code could loop) stays
    // well under it: about 0.05 s, up to 0.3 s on a heavily loaded machine.
    const inert = join(dir, 'inert.ts')
    writeFileSync(inert, 'export default {meta: {id: "inert"}, *tryModuleGet() { for (;;) { /* no yield */ } }, moduleUnloadInit() {}, *modulePut() {}, *deleteModule() { return 0 }, *stopMachine() { return 0 }}\n')
    const r = await runCli('check', 'small-race', '--variant', inert, '--timeout', '0.5')
    expect(r.stderr).toBe('kreplay: nothing was checked for inert: no trace\'s expect: block names it or has a default\n')
    expect(r.code).toBe(0)
  })

  // Spawned: the real process ends although the process it watches is stuck in a loop.
  it('ends the real process of a command whose variant never yields, exit 2', () => {
    const r = cli('run', 'io-storm', '--variant', spinner, '--timeout', '0.5')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^kreplay: .*spins\.ts: the simulation made no progress for 500 ms of wall time/)
  })
})
