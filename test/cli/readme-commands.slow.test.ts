/**
 * Every kreplay command the README shows runs, as shown, in under 60 s, and exits with the
 * code the README gives it. Slow (about a minute and a half: the pct search alone takes its
 * default 30 s), hence the slow project.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {cliIn} from '../helpers/cli.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The summary matrix the README shows `kreplay compare` ending with. */
const SUMMARY = [...README.matchAll(/```text\n(summary\n[\s\S]*?)```/g)][0][1]

/** The wall-clock limit on one README command (issue 15). */
const LIMIT_MS = 60_000

/** A kreplay command line the README shows: its arguments and the exit code it documents. */
interface ShownCommand {
  readonly line: string
  readonly args: readonly string[]
  readonly code: number
}

/**
 * The kreplay commands of the README's shell blocks (```sh, ```bash, ```console, untagged),
 * in README order. A `\`-continued line is one line; `a && b` and `a; b` are separate
 * commands, of which only `kreplay ...` and `npx kreplay ...` are kept (not `npm ci`,
 * `npm test`, `trace-cmd` and the like). In a console block only `$ ` lines are commands.
 * A trailing `# exit N` comment gives the exit code the command documents; without one it
 * is 0.
 */
function readmeCommands(readme: string): ShownCommand[] {
  const out: ShownCommand[] = []
  for (const [, lang, body] of readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    if (!['sh', 'bash', 'shell', 'console', ''].includes(lang)) continue
    let lines = body.replace(/\s*\\\n\s*/g, ' ').split('\n')
    if (lang === 'console') lines = lines.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2))
    for (const full of lines) {
      const hash = full.indexOf(' #')
      const line = hash < 0 ? full : full.slice(0, hash)
      const code = hash < 0 ? 0 : Number(/^ #\s*exit (\d+)/.exec(full.slice(hash))?.[1] ?? 0)
      for (const part of line.split(/&&|;/).map((p) => p.trim())) {
        const words = part.split(/\s+/)
        if (words[0] === 'npx') words.shift()
        if (words.shift() !== 'kreplay') continue
        if (/["'`$|<>*]/.test(part)) throw new Error(`README command needs a shell to run as shown: ${part}`)
        out.push({line: part, args: words, code})
      }
    }
  }
  return out
}

/**
 * A fresh folder standing in for the clone the README's user types in: its `traces/` (the
 * README names `traces/isolated-rt-hog.yaml` by path) and the `capture.txt` that its
 * `trace-cmd report > capture.txt` step would write (a trace-cmd report fixture). Every
 * file a command writes lands here, for the commands after it to read.
 */
const dir = mkdtempSync(join(tmpdir(), 'kreplay-readme-'))
symlinkSync(join(ROOT, 'traces'), join(dir, 'traces'))
copyFileSync(join(ROOT, 'test/fixtures/ftrace/insmod-io-rmmod.txt'), join(dir, 'capture.txt'))

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('the README commands', () => {
  const commands = readmeCommands(README)

  it('are found: the README shows runs, searches, a replay, an imported capture and a report', () => {
    const ids = new Set(commands.map((c) => c.args[0]))
    for (const id of ['compare', 'run', 'explore', 'report']) expect(ids).toContain(id)
    expect(commands.some((c) => c.args.includes('--schedule'))).toBe(true)
    expect(commands.some((c) => c.args.includes('--ftrace'))).toBe(true)
    expect(commands.filter((c) => c.code === 1).length).toBeGreaterThan(0)
  })

  it('are read with their documented exit codes', () => {
    const sample = '```sh\nnpm ci && npx kreplay compare\nnpx kreplay explore x \\\n  --all  # exit 1: a race\nnpm test\n```\n```console\n$ npx kreplay run a\nout\n```\n'
    expect(readmeCommands(sample)).toEqual([
      {line: 'npx kreplay compare', args: ['compare'], code: 0},
      {line: 'npx kreplay explore x --all', args: ['explore', 'x', '--all'], code: 1},
      {line: 'npx kreplay run a', args: ['run', 'a'], code: 0},
    ])
  })

  // In README order, one after another: a later command reads what an earlier one wrote.
  it.each(commands.map((c) => [c.line, c] as const))('%s', {timeout: 3 * LIMIT_MS}, (_line, c) => {
    const start = performance.now()
    const r = cliIn({cwd: dir, timeoutMs: 2 * LIMIT_MS}, ...c.args)
    const ms = performance.now() - start
    const what = `${c.line}: exit ${r.code} after ${(ms / 1000).toFixed(1)} s\n${r.stderr.slice(-2000)}`
    expect(r.code, what).toBe(c.code)
    expect(ms, what).toBeLessThan(LIMIT_MS)
    // The plain `kreplay compare` ends with the summary matrix the README shows.
    if (c.args.join(' ') === 'compare') expect(r.stdout.slice(r.stdout.lastIndexOf('\nsummary\n') + 1)).toBe(SUMMARY)
  })
})
