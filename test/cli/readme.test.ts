import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.ts'

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')

/** The fenced blocks of the README with their language tag. */
function blocks(lang: string): string[] {
  return [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1])
}

/** A command line the README shows (`npx kreplay run a b`) as the command id and its arguments. */
function command(line: string): [string, string[]] {
  const [id, ...args] = line.replace(/^\$ npx kreplay /, '').split(/\s+/)
  return [id, args]
}

/** The README's example outputs are what the commands print, so they cannot drift. */
describe('README example outputs', () => {
  const consoles = blocks('console').filter((b) => b.startsWith('$ npx kreplay '))

  it('has examples to check', () => {
    expect(consoles.length).toBeGreaterThan(0)
    expect(blocks('text').some((b) => b.startsWith('summary\n'))).toBe(true)
  })

  it.each(consoles.map((b) => [b.split('\n')[0], b] as const))('%s prints what the README shows', {timeout: 120_000}, async (first, block) => {
    const [id, args] = command(first)
    const r = await runCli(id, ...args)
    expect(r.stdout).toBe(block.slice(first.length + 1))
  })
  // That `kreplay compare` ends with the summary matrix the README shows is checked where
  // the README's commands run (readme-commands.slow.test.ts), so compare runs once.
})
