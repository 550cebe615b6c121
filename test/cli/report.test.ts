/**
 * `kreplay report` as a user runs it: the four files and the schedule files, `--json`
 * listing them, an existing directory refused (exit 2) unless `--force`, and the same
 * command writing the same bytes again.
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.ts'

describe('kreplay report', () => {
  const base = mkdtempSync(join(tmpdir(), 'kreplay-report-cli-'))
  afterAll(() => {
    rmSync(base, {recursive: true, force: true})
  })

  it('writes the report, refuses an existing --out, and with --force writes the same bytes', async () => {
    const out = join(base, 'r')
    const args = ['small-race', '--variants', 'lockfree-naive,stop-machine', '--explore', '--budget', '50', '--out', out]
    const first = await runCli('report', ...args, '--json')
    expect(first.code, first.stderr).toBe(0)
    const written = JSON.parse(first.stdout) as {dir: string; files: {path: string; bytes: number}[]}
    expect(written.dir).toBe(out)
    expect(written.files.map((f) => f.path)).toEqual([
      join(out, 'report.md'),
      join(out, 'report.html'),
      join(out, 'lkml.txt'),
      join(out, 'trace.json'),
      join(out, 'small-race.lockfree-naive.use-after-free.schedule.json'),
    ])
    expect(readdirSync(out).sort()).toEqual(['lkml.txt', 'report.html', 'report.md', 'small-race.lockfree-naive.use-after-free.schedule.json', 'trace.json'])
    for (const f of written.files) expect(readFileSync(f.path).length).toBe(f.bytes)
    const before = Object.fromEntries(written.files.map((f) => [f.path, readFileSync(f.path, 'utf8')]))

    const again = await runCli('report', ...args)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists and is not empty; pass --force/)
    // An empty --out would be the current directory, whose files it would replace.
    const empty = await runCli('report', 'small-race', '--variants', 'stopref', '--out', '')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toBe('kreplay: --out: an empty path; name the directory to write into\n')
    // A file is not a directory, --force or not; an empty directory (mktemp -d) is written into.
    for (const force of [[], ['--force']]) {
      const file = await runCli('report', 'small-race', '--variants', 'stopref', '--out', join(out, 'report.md'), ...force)
      expect(file.stderr).toBe(`kreplay: --out ${join(out, 'report.md')} is a file; name a directory to write into\n`)
    }
    const made = mkdtempSync(join(tmpdir(), 'kreplay-made-'))
    const into = await runCli('report', 'idle-rmmod', '--variants', 'stopref', '--out', made)
    expect(into.code, into.stderr).toBe(0)
    expect(readdirSync(made).sort()).toEqual(['lkml.txt', 'report.html', 'report.md', 'trace.json'])
    // Refused before anything runs: a report that cannot be written is not computed first.
    const underFile = join(out, 'report.md', 'r')
    const blocked = await runCli('report', 'small-race', '--variants', 'stopref', '--out', underFile)
    expect(blocked.code).toBe(2)
    expect(blocked.stderr).toBe(`kreplay: --out ${underFile}: ${join(out, 'report.md')} is not a directory\n`)

    const forced = await runCli('report', ...args, '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toMatch(/^wrote .*report\.md \([\d,]+ bytes\)$/m)
    for (const f of written.files) expect(readFileSync(f.path, 'utf8'), f.path).toBe(before[f.path])
  }, 180_000)
})
