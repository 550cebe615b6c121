import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {SHIPPED_VARIANTS} from '../../src/variants/registry.ts'
import {cli, runCli} from '../helpers/cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'kreplay-check-'))
function trace(name: string, expect: string): string {
  const f = join(dir, `${name}.yaml`)
  writeFileSync(f, `kreplay: 1
name: ${name}
horizon: 10ms
machine: {cpus: 2}
modules: [{name: m}]
tasks: [{name: rmmod, cpus: "0", program: [{rmmod: m}]}]
expect:
${expect}`)
  return f
}

describe('kreplay check', () => {
  it('passes when every variant shows what its expectation states', async () => {
    const f = trace('holds', `  lockfree-naive: {findings: [], metrics: {cpus_stopped: "== 0"}}
  atomic-refcnt: {findings: [], metrics: {cpus_stopped: "== 0"}}
  default: {findings: [], metrics: {cpus_stopped: "== 2", rmmod_latency: "> 1us"}}
`)
    const r = await runCli('check', f)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ok {4}holds × stop-machine: no findings$/m)
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${SHIPPED_VARIANTS.length} passed, 0 failed`)
  })

  // Spawned: the exit code of the real process.
  it('exits 1 naming the trace, the variant, what was expected and what came', () => {
    const f = trace('wrong', `  stop-machine: {findings: [use-after-free], metrics: {stall_max: "> 1s"}}
`)
    const r = cli('check', f)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('FAIL  wrong × stop-machine')
    expect(r.stdout).toContain('findings: expected [use-after-free], came []')
    expect(r.stdout).toMatch(/stall_max: expected > 1s, came [\d.]+ µs/)
    expect(r.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed')
  })

  it('exits 2 when an expectation names a variant that does not exist, at its line and column, with the id it most likely meant', async () => {
    const f = trace('typo', `  default: {findings: []}
  stop-machin: {findings: []}
`)
    const r = await runCli('check', f)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`^kreplay: ${f}:9:3: expect: names unknown variant\\(s\\) stop-machin \\(did you mean stop-machine\\?\\); known: stopref, krmmod, stop-machine`))
  })

  it('says so on stderr when nothing, or nothing of a variant asked for, was checked', async () => {
    const f = trace('partial', `  stop-machine: {findings: []}
`)
    const some = await runCli('check', f, '--variants', 'krmmod')
    expect(some.code).toBe(0)
    expect(some.stderr).toBe("kreplay: nothing was checked for krmmod: no trace's expect: block names it or has a default\n")
    const none = join(dir, 'none.yaml')
    writeFileSync(none, 'kreplay: 1\nname: none\nhorizon: 1ms\nmachine: {cpus: 1}\nmodules: [{name: m}]\ntasks: [{name: t, program: [{spin: 1us}]}]\n')
    const r = await runCli('check', none)
    expect(r.stdout).toBe('0 passed, 0 failed\n')
    expect(r.stderr).toBe("kreplay: nothing was checked: no trace's expect: block names a variant or has a default\n")
  })

  it('fails a run that ends at --max-steps instead of judging its partial result', async () => {
    const f = trace('budget', `  stop-machine: {findings: []}
`)
    const cut = await runCli('check', f, '--max-steps', '5')
    expect(cut.code).toBe(1)
    expect(cut.stdout).toContain('FAIL  budget × stop-machine')
    expect(cut.stdout).toMatch(/the run ended at the step budget \(5 steps\), before the trace's horizon: nothing can be judged on a partial run; raise --max-steps/)
    // The same expectation holds on the whole run, and on a budget of exactly its steps
    // (nothing is left after its last step: the run is whole), but not on one step less.
    expect((await runCli('check', f)).code).toBe(0)
    const run = await runCli('run', f, '--variant', 'stop-machine', '--json')
    const steps = (JSON.parse(run.stdout) as {metrics: {steps: number}}).metrics.steps
    expect((await runCli('check', f, '--max-steps', String(steps))).code).toBe(0)
    expect((await runCli('check', f, '--max-steps', String(steps - 1))).stdout).toContain('FAIL  budget × stop-machine')
  })

  it('bounds the schedules a by: explore expectation searches with --max-steps too', async () => {
    // small-race × lockfree-naive's seeded run fits in its own step count; some schedules
    // the search tries run longer, and a search of runs cut short cannot be judged.
    const run = await runCli('run', 'small-race', '--variant', 'lockfree-naive', '--json')
    const steps = (JSON.parse(run.stdout) as {metrics: {steps: number}}).metrics.steps
    const cut = await runCli('check', 'small-race', '--max-steps', String(steps))
    expect(cut.code).toBe(1)
    expect(cut.stdout).toMatch(/^FAIL {2}small-race × lockfree-naive.*\n.*[\d,]+ of the searched schedules ended at the step budget, before the trace's horizon: nothing can be judged on a search of partial runs; raise --max-steps/m)
  })
})
