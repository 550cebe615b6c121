import {copyFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {shippedIds} from '../../src/variants/registry.ts'
import {cli, runCli} from '../helpers/cli.ts'

describe('kreplay compare, diff and patch on the command line', () => {
  it('an unknown variant exits 2 with one line listing the valid ones', async () => {
    const r = await runCli('compare', 'idle-rmmod', '--variants', 'stop-machine,no-such')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('unknown variant "no-such"')
    for (const id of shippedIds()) expect(r.stderr).toContain(id)
  })

  it('--variants with nothing in it (an unset shell variable) exits 2 rather than running every variant', async () => {
    for (const command of ['compare', 'check']) {
      const r = await runCli(command, 'idle-rmmod', '--variants', '')
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe('kreplay: --variants names no variant: give shipped ids or variant files, e.g. -v stop-machine,atomic-refcnt (kreplay variants lists the ids)\n')
    }
    // A trailing comma names the same variants as without it.
    expect((await runCli('compare', 'idle-rmmod', '--variants', 'stopref,')).stdout).toBe((await runCli('compare', 'idle-rmmod', '--variants', 'stopref')).stdout)
  })

  it('an unknown trace exits 2 listing the shipped traces', async () => {
    const r = await runCli('compare', 'no-such-trace', '--variants', 'stop-machine')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no trace "no-such-trace".*idle-rmmod/)
  })

  it('two traces of one name (a copy not renamed, or one trace twice) exit 2: their rows and files would be confused', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'kreplay-copy-')), 'mine.yaml')
    copyFileSync(fileURLToPath(new URL('../../traces/small-race.yaml', import.meta.url)), copy)
    const both = await runCli('compare', 'small-race', copy, '--variants', 'stopref')
    expect(both.code).toBe(2)
    expect(both.stderr).toBe(`kreplay: small-race and ${copy} are both named small-race: give each trace its own name: (results and files are named after it)\n`)
    const report = await runCli('report', 'small-race', copy, '--variants', 'stopref', '--out', join(copy, '..', 'r'))
    expect(report.stderr).toBe(both.stderr)
    expect((await runCli('compare', 'small-race', 'small-race', '--variants', 'stopref')).stderr).toBe('kreplay: small-race is given twice\n')
  })

  it('--seed and --seeds are exclusive; --cpus must be sizes', async () => {
    expect((await runCli('compare', 'idle-rmmod', '--seed', '1', '--seeds', '3')).code).toBe(2)
    const r = await runCli('compare', 'idle-rmmod', '--cpus', '4,lots')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--cpus')
  })

  it('shows what schedule search finds where the trace leaves a finding to it, marked, with the command that replays it', async () => {
    const r = await runCli('compare', 'small-race', '--variants', 'lockfree-naive,atomic-refcnt')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^lockfree-naive +use-after-free\*/m)
    expect(r.stdout).toContain('    kreplay explore small-race --variant lockfree-naive\n')
    expect(r.stdout).toMatch(/^small-race +uaf\* +ok$/m)
    // A trace file of the user's is replayed by its path; a resized trace, which explore cannot load as it ran, by no command.
    const file = join(mkdtempSync(join(tmpdir(), 'kreplay-compare-')), 'mine.yaml')
    copyFileSync(fileURLToPath(new URL('../../traces/small-race.yaml', import.meta.url)), file)
    expect((await runCli('compare', file, '--variants', 'lockfree-naive')).stdout).toContain(`    kreplay explore ${file} --variant lockfree-naive\n`)
    const resized = await runCli('compare', 'small-race', '--variants', 'lockfree-naive', '--cpus', '8')
    expect(resized.stdout).toContain('  * found by schedule search, not by the seeded run\n')
    expect(resized.stdout).not.toMatch(/kreplay explore \S+ --variant/)
    const none = await runCli('compare', 'small-race', '--variants', 'lockfree-naive,atomic-refcnt', '--search', 'none')
    expect(none.stdout).not.toContain('*')
    expect(none.stdout).toMatch(/^small-race +ok +ok$/m)
  }, 60_000)

  // Spawned: what a pipe gets from the real process.
  it('prints a table without ANSI codes and nothing on stderr when piped, the same bytes every time', async () => {
    const one = cli('compare', 'idle-rmmod', '--variants', 'stop-machine', '--cpus', '2,8', '--seeds', '2')
    expect(one.code).toBe(0)
    expect(one.stderr).toBe('')
    expect(one.stdout).not.toContain('\u001b[')
    expect(one.stdout).toContain('idle-rmmod@8cpus')
    // The same bytes again, from a run in this process.
    expect((await runCli('compare', 'idle-rmmod', '--variants', 'stop-machine', '--cpus', '2,8', '--seeds', '2')).stdout).toBe(one.stdout)
  })

  it('diff exits 1 when the runs part and 0 when they do not, so a CI job can gate on it', async () => {
    const parted = await runCli('diff', 'idle-rmmod', 'stopref', 'stop-machine')
    expect(parted.code).toBe(1)
    expect(parted.stdout).toMatch(/^first divergence at /)
    expect((await runCli('diff', 'idle-rmmod', 'stop-machine', 'stop-machine')).code).toBe(0)
  })

  it('diff and patch name unknown variants the same way', async () => {
    expect((await runCli('diff', 'idle-rmmod', 'stop-machine', 'no-such')).code).toBe(2)
    const r = await runCli('patch', 'no-such', 'stop-machine')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown variant "no-such"')
  })

  it('patch takes variant sources only, and names an absolute path as git would', async () => {
    const other = await runCli('patch', 'stopref', '/etc/hostname')
    expect(other.code).toBe(2)
    expect(other.stderr).toBe("kreplay: /etc/hostname is not a variant's source: expected a .ts, .js, .mjs or .mts file, or a shipped variant id\n")
    const krmmod = new URL('../../variants/krmmod.ts', import.meta.url).pathname
    const r = await runCli('patch', 'stopref', krmmod)
    expect(r.stdout.split('\n')[1]).toBe(`+++ b/${krmmod.slice(1)}`)
  })

  it('patch prints the unified diff of two variant sources', async () => {
    const r = await runCli('patch', 'stopref', 'krmmod')
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['--- a/variants/stopref.ts', '+++ b/variants/krmmod.ts'])
    expect(r.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/m)
  })
})
