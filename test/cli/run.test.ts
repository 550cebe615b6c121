import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {cli, runCli} from '../helpers/cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'kreplay-run-'))
function trace(name: string, text: string): string {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}

const good = `kreplay: 1
name: t
horizon: 10ms
machine:
  cpus: 2
modules:
  - name: m
tasks:
  - name: rmmod
    program:
      - rmmod: m
`

describe('kreplay run', () => {
  it('shows the stopper preempting the isolated FIFO 99 hog, with no machine-stall', async () => {
    const r = await runCli('run', 'traces/isolated-rt-hog.yaml', '--variant', 'stop-machine', '--json')
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout) as {findings: {kind: string}[]; metrics: Record<string, number>}
    expect(result.findings.map((f) => f.kind)).not.toContain('machine-stall')
    // The hog waited about as long as the stop held its CPU: microseconds, not the hog's 1.5 s.
    expect(result.metrics.rt_latency_max).toBeGreaterThan(1_000)
    expect(result.metrics.rt_latency_max).toBeLessThan(100_000)
    expect(result.metrics.cpus_stopped).toBe(4)
  })

  it('shows the surprise freeze: a 5-6 s gap between marks that otherwise come once a second', async () => {
    const r = await runCli('run', 'surprise-freeze', '--variant', 'stop-machine', '--json')
    const result = JSON.parse(r.stdout) as {metrics: Record<string, number>}
    expect(result.metrics.mark_gap_max).toBeGreaterThan(5e9)
    expect(result.metrics.mark_gap_max).toBeLessThan(6e9)
  })

  it('prints byte-identical output for the same trace, variant, seed and flags', async () => {
    for (const flags of [['--json'], ['--log'], ['--seed', '7', '--json', '--log']]) {
      const a = await runCli('run', 'traces/io-storm.yaml', '--variant', 'stop-machine', ...flags)
      const b = await runCli('run', 'traces/io-storm.yaml', '--variant', 'stop-machine', ...flags)
      expect(a.code).toBe(0)
      expect(a.stdout.length).toBeGreaterThan(100)
      expect(b.stdout).toBe(a.stdout)
    }
  })

  const malformed: [string, string, RegExp][] = [
    ['bad indentation', good.replace('  - name: rmmod', '    - name: rmmod'), /bad-indentation\.yaml:\d+:\d+: /],
    ['unknown key', good.replace('    program:', '    progam:'), /unknown-key\.yaml:10:5: tasks\[0\]: unknown key "progam" \(did you mean "program"\?\)/],
    ['bare number for a duration', good.replace('horizon: 10ms', 'horizon: 10'), /bare-number-for-a-duration\.yaml:3:10: horizon: .*bare number/],
    ['CPU out of range', good.replace('    program:', '    cpus: "0-2"\n    program:'), /cpu-out-of-range\.yaml:10:11: .*CPU 2 is out of range/],
    ['task affined only to offline CPUs', good.replace('    program:', '    cpus: "4-5"\n    program:'), /affined-only-to-offline-cpus\.yaml:10:11: .*offline/],
  ]
  for (const [what, text, message] of malformed) {
    it(`rejects a trace with ${what}: exit 2, one line naming file:line:column`, async () => {
      const f = trace(`${what.toLowerCase().replace(/ /g, '-').replace('task-', '')}.yaml`, text)
      const r = await runCli('run', f, '--variant', 'stop-machine')
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    })
  }

  // Spawned: the exit code of the real process.
  it('names the valid variants when given an unknown one, exit 2', () => {
    const r = cli('run', 'idle-rmmod', '--variant', 'nope')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown variant "nope"; valid: .*stop-machine/)
  })

  it('names the shipped traces when given an unknown one, exit 2', async () => {
    const r = await runCli('run', 'no-such-trace', '--variant', 'stop-machine')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no trace "no-such-trace".*idle-rmmod/)
  })
})
