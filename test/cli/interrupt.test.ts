import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {BIN} from '../helpers/cli.ts'
import {variantFolder} from '../helpers/user-variant-file.ts'

/**
 * Runs kreplay in `cwd` as a user would, sends `signal` once stderr shows `ready` (the
 * command is under way, its handler installed), and resolves with what it printed.
 */
function interrupted(cwd: string, args: string[], ready: RegExp, signal: NodeJS.Signals | ((pid: number) => void)): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}})
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (!sent && ready.test(stderr)) {
        sent = true
        if (typeof signal === 'function') signal(child.pid!)
        else child.kill(signal)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({code, stdout, stderr})
    })
  })
}

/** Every file under `dir`, relative, temporaries included. */
function files(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort()
}

describe('Ctrl-C and SIGTERM end long commands with what was done, never a partial file', () => {
  it('explore: SIGINT ends the search with its summary so far and whole schedule files', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-int-'))
    const r = await interrupted(dir, ['explore', 'get-vs-remove', '--variant', 'stop-machine', '--time', '120s', '--progress'], /exploring:/, 'SIGINT')
    expect(r.stderr).toMatch(/SIGINT: stopping with what was done so far/)
    expect(r.stdout).toMatch(/^explore get-vs-remove × stop-machine: random/)
    expect(r.stdout).toMatch(/incomplete: interrupted/)
    expect(r.code).toBe(130)
    expect(files(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('explore: SIGTERM with findings exits 1 and leaves each counterexample whole', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-int-'))
    const r = await interrupted(dir, ['explore', 'get-vs-remove', '--variant', 'lockfree-naive', '--all', '--time', '120s', '--progress'], /exploring:/, 'SIGTERM')
    expect(r.stderr).toMatch(/SIGTERM: stopping/)
    expect(r.stdout).toMatch(/incomplete: interrupted/)
    const written = files(dir)
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([])
    for (const f of written) expect((JSON.parse(readFileSync(join(dir, f), 'utf8')) as {kreplay: string}).kreplay).toBe('schedule')
    expect(r.code).toBe(written.length > 0 ? 1 : 143)
  })

  it('report: SIGINT mid-run writes no report file and says so', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-int-'))
    const r = await interrupted(dir, ['report', 'idle-rmmod', 'small-race', '--explore', '--out', 'r', '--progress'], /report: \d+ of/, 'SIGINT')
    expect(r.stderr).toMatch(/interrupted: the report was not written/)
    expect(r.code).toBe(130)
    const written = files(dir)
    expect(written.filter((f) => /report\.(md|html)|lkml\.txt|trace\.json|\.tmp$/.test(f))).toEqual([])
    for (const f of written.filter((x) => x.endsWith('.schedule.json'))) JSON.parse(readFileSync(join(dir, f), 'utf8'))
  })

  describe('with a variant file (its command runs in a watched child process)', () => {
    const {dir, variant} = variantFolder()
    const steady = variant('steady.ts', `export default {...sm, meta: {...sm.meta, id: 'steady'}}`)
    const search = ['explore', 'get-vs-remove', '--variant', steady, '--time', '120s', '--progress']

    it('explore: SIGINT reaches the search once: its summary so far, exit 130', {timeout: 120_000}, async () => {
      const r = await interrupted(dir, search, /exploring:/, 'SIGINT')
      expect(r.stderr.match(/SIGINT: stopping with what was done so far/g)).toHaveLength(1)
      expect(r.stdout).toMatch(/^explore get-vs-remove × steady: random/)
      expect(r.stdout).toMatch(/incomplete: interrupted/)
      expect(r.code).toBe(130)
    })

    // /proc: which process a pid's parent is (Linux, where CI runs).
    it.runIf(process.platform === 'linux')('a watchdog killed outright takes its watched process with it', {timeout: 120_000}, async () => {
      const ppid = (pid: string): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1])
      let watched = ''
      await interrupted(dir, search, /exploring:/, (pid) => {
        watched = readdirSync('/proc').find((p) => /^\d+$/.test(p) && existsSync(`/proc/${p}/stat`) && ppid(p) === pid) ?? ''
        process.kill(pid, 'SIGKILL')
      })
      expect(watched).not.toBe('')
      const until = performance.now() + 10_000
      while (existsSync(`/proc/${watched}`) && performance.now() < until) await new Promise((r) => setTimeout(r, 50))
      expect(existsSync(`/proc/${watched}`)).toBe(false)
    })
  })
})
