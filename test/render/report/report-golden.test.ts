/**
 * Golden report.md and lkml.txt of small-race against every shipped variant with a
 * schedule search (test/golden/report-small-race.md, lkml-small-race.txt). Regenerate
 * after a deliberate change with `UPDATE_GOLDEN=1 npx vitest run test/render/report`,
 * then review the diff by eye. The temporary directory is written as `r` in the files.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {smallRaceReport} from './small-race-report.ts'

const GOLDEN = fileURLToPath(new URL('../../golden/', import.meta.url))

function golden(name: string, actual: string): void {
  const file = `${GOLDEN}${name}`
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('report files of small-race', () => {
  let dir: string
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8').replaceAll(dir, 'r')
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kreplay-golden-'))
    await smallRaceReport(dir)
  }, 120_000)
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('report.md matches its golden file', () => {
    golden('report-small-race.md', read('report.md'))
  })

  it('lkml.txt matches its golden file', () => {
    golden('lkml-small-race.txt', read('lkml.txt'))
  })

  it('lkml.txt is a plain mail body: ASCII, at most 72 columns, no tabs, a Subject line', () => {
    const text = readFileSync(join(dir, 'lkml.txt'), 'utf8')
    expect(text.startsWith('Subject: ')).toBe(true)
    for (const [i, line] of text.split('\n').entries()) {
      expect(line.length, `line ${i + 1}: ${line}`).toBeLessThanOrEqual(72)
      expect(/^[\x20-\x7e]*$/.test(line), `line ${i + 1} is printable ASCII without tabs: ${line}`).toBe(true)
    }
    expect(text).not.toMatch(/^#|\*\*|```/m)
  })

  it('lkml.txt shows the lockfree-naive counterexample as CPU columns, with its replay command', () => {
    const text = read('lkml.txt')
    expect(text).toMatch(/counterexample: lockfree-naive on small-race/)
    expect(text).toMatch(/^ *time \(us\) +CPU0 +CPU1 +CPU2$/m)
    expect(text).toMatch(/!! use-after-free: getter\/\d read state of module dummy/)
    expect(text.replaceAll('\\\n', '').replace(/ +/g, ' ')).toContain('kreplay run small-race --variant lockfree-naive --schedule r/small-race.lockfree-naive.use-after-free.schedule.json')
  })
})
