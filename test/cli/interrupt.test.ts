import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {BIN} from '../helpers/cli.ts'

/**
 * Runs kreplay in `cwd` as a user would, sends `signal` once stderr shows `ready` (the
 * command is under way, its handler installed), and resolves with what it printed.
 */
function interrupted(cwd: string, args: string[], ready: RegExp, signal: NodeJS.Signals): Promise<{code: number | null; stdout: string; stderr: string}> {
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
        child.kill(signal)
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
})
