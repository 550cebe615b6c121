import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {KREPLAY_VERSION, MODEL_VERSION} from '../../src/core/versions.ts'
import {runCli} from '../helpers/cli.ts'

const TINY = new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname

describe('schedule files: kreplay run --schedule', () => {
  let dir: string
  let file: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kreplay-schedule-'))
    const r = await runCli('explore', TINY, '--variant', 'lockfree-naive', '--strategy', 'exhaustive', '--out', dir)
    expect(r.code).toBe(1) // it found the race
    file = join(dir, 'tiny-race.lockfree-naive.use-after-free.schedule.json')
    expect(r.stdout).toContain(`replay: kreplay run ${TINY} --variant lockfree-naive --schedule ${file}`)
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}replay: kreplay run /)
  })

  it('replays exactly: the same bytes every time, the recorded finding again, as lanes', async () => {
    const one = await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file)
    expect(one.code).toBe(0)
    expect(one.stderr).toBe('')
    expect((await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file)).stdout).toBe(one.stdout)
    expect(one.stdout).toMatch(/logical time │ cpu0 +│ cpu1/)
    expect(one.stdout).toContain('!! use-after-free')
    const json = await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file, '--json')
    expect(json.stdout).toBe((await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file, '--json')).stdout)
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as {finding: unknown}
    expect((JSON.parse(json.stdout) as {findings: unknown[]}).findings).toContainEqual(recorded.finding)
  })

  /** A copy of the schedule file with some fields changed (or other text). */
  function variantOf(name: string, change: ((o: Record<string, unknown>) => void) | string): string {
    const path = join(dir, name)
    if (typeof change === 'string') {
      writeFileSync(path, change)
    } else {
      const o = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      change(o)
      writeFileSync(path, JSON.stringify(o))
    }
    return path
  }

  async function rejected(args: string[], message: RegExp | string): Promise<void> {
    const r = await runCli('run', ...args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(message)
  }

  it('bounds the replay with --max-steps: a budget of its own steps replays it, one less is refused', async () => {
    const json = await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file, '--json')
    const steps = (JSON.parse(json.stdout) as {metrics: {steps: number}}).metrics.steps
    expect((await runCli('run', TINY, '--variant', 'lockfree-naive', '--schedule', file, '--json', '--max-steps', String(steps))).stdout).toBe(json.stdout)
    await rejected(
      [TINY, '--variant', 'lockfree-naive', '--schedule', file, '--max-steps', String(steps - 1)],
      new RegExp(`replayed up to the step budget \\(${steps - 1} steps\\) after \\d+ of its \\d+ choices: a replay cut short shows nothing; raise --max-steps`),
    )
  })

  it('rejects bad JSON, another format, and a missing file with one clear line, exit 2', async () => {
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('bad.json', '{"kreplay": "schedule",')], /is not valid JSON/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('other.json', '{"hello": 1}')], /not a kreplay schedule/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('v9.json', (o) => (o.version = 9))], /unsupported schedule format version 9/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', join(dir, 'missing.json')], /cannot read schedule file/)
  })

  it('rejects a schedule recorded under another model version, naming both, and one from before model versions', async () => {
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as {kreplayVersion: string; model: number}
    expect(recorded.kreplayVersion).toBe(KREPLAY_VERSION)
    expect(recorded.model).toBe(MODEL_VERSION)
    await rejected(
      [TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('old-model.json', (o) => (o.model = MODEL_VERSION - 1))],
      `recorded under model version ${MODEL_VERSION - 1} (kreplay ${KREPLAY_VERSION}), but this kreplay ${KREPLAY_VERSION} simulates model version ${MODEL_VERSION}: the simulation changed since, so the schedule may not replay the same; run the search again (kreplay explore tiny-race --variant lockfree-naive)`,
    )
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('no-model.json', (o) => delete o.model)], /recorded under a model before model versions, but this kreplay/)
  })

  it('does not replace a schedule file without --force, and still prints what the search found', async () => {
    const before = readFileSync(file, 'utf8')
    const again = await runCli('explore', TINY, '--variant', 'lockfree-naive', '--strategy', 'exhaustive', '--out', dir)
    expect(again.code).toBe(2)
    expect(again.stderr).toBe(`kreplay: ${file} already exists; pass --force to replace it\n`)
    expect(again.stdout).toMatch(/^explore tiny-race × lockfree-naive: exhaustive/)
    expect(again.stdout).toContain(`\n  schedule not written: ${file} already exists; pass --force to replace it\n`)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect((await runCli('explore', TINY, '--variant', 'lockfree-naive', '--strategy', 'exhaustive', '--out', dir, '--force')).code).toBe(1)
  })

  it('rejects a schedule recorded on another trace, a changed trace, or another variant', async () => {
    await rejected(['small-race', '--variant', 'lockfree-naive', '--schedule', file], /recorded on trace tiny-race, not small-race/)
    const changed = join(dir, 'tiny-race.yaml')
    copyFileSync(TINY, changed)
    writeFileSync(changed, readFileSync(changed, 'utf8').replace('for: 1us', 'for: 2us'))
    await rejected([changed, '--variant', 'lockfree-naive', '--schedule', file], /different version of trace tiny-race/)
    await rejected([TINY, '--variant', 'atomic-refcnt', '--schedule', file], /recorded with variant lockfree-naive, not atomic-refcnt/)
  })

  it('rejects a choice list that does not fit the run (ReplayMismatch) or does not parse', async () => {
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('range.json', (o) => (o.choices = 'o0*3 o7'))], /only \d+ alternatives exist there/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('token.json', (o) => (o.choices = 'o0 x1'))], /bad choice token "x1"/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('delay.json', (o) => (o.choices = 'd1'))], /untimed schedule cannot have delay choices/)
    await rejected([TINY, '--variant', 'lockfree-naive', '--schedule', variantOf('long.json', (o) => (o.choices = 'o0*500 o1'))], /the run ended after \d+ of the schedule's 501 choices|alternatives/)
  })
})
