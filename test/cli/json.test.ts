import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {KREPLAY_VERSION, MODEL_VERSION} from '../../src/core/versions.ts'
import {SHIPPED_VARIANTS} from '../../src/variants/registry.ts'
import {cli, cliIn, runCli} from '../helpers/cli.ts'

const out = mkdtempSync(join(tmpdir(), 'kreplay-json-'))

/** Every command with --json, and the key its shape carries beside the envelope. */
const COMMANDS: readonly [string, string[], string, number][] = [
  ['run', ['small-race', '--variant', 'stopref', '--json'], 'metrics', 0],
  ['compare', ['small-race', '--variants', 'stopref,stop-machine', '--json'], 'traces', 0],
  ['check', ['small-race', '--json'], 'checks', 0],
  ['diff', ['get-vs-remove', 'atomic-refcnt', 'lockfree-naive', '--json'], 'divergence', 1],
  ['explore', ['small-race', '--variant', 'stop-machine', '--budget', '3', '--json'], 'counterexamples', 0],
  ['traces', ['--json'], 'traces', 0],
  ['variants', ['--json'], 'variants', 0],
  ['patch', ['stopref', 'krmmod', '--json'], 'patch', 0],
  ['report', ['small-race', '--variants', 'stopref', '--out', join(out, 'r'), '--json'], 'files', 0],
]

describe('--json on every command', () => {
  it.each(COMMANDS)('%s prints one JSON document under the versioned envelope', async (id, args, key, code) => {
    const r = await runCli(id, ...args)
    expect(r.code).toBe(code)
    const doc = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(doc).slice(0, 4)).toEqual(['kreplay', 'version', 'kreplayVersion', 'model'])
    expect(doc.kreplay).toBe(id.replace('/', ' '))
    expect(doc.version).toBe(1)
    expect(doc.kreplayVersion).toBe(KREPLAY_VERSION)
    expect(doc.model).toBe(MODEL_VERSION)
    expect(doc).toHaveProperty(key)
  })

  it('import ftrace too', async () => {
    const r = await runCli('import/ftrace', 'test/fixtures/ftrace/nic-irq.txt', '--rmmod-at', '66.846717', '--json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as {kreplay: string; model: number; trace: string}
    expect(doc.kreplay).toBe('import ftrace')
    expect(doc.model).toBe(MODEL_VERSION)
    expect(doc.trace).toContain('ftrace capture')
  })

  it('compare --format json is --json', async () => {
    const a = await runCli('compare', 'small-race', '--variants', 'stopref', '--json')
    const b = await runCli('compare', 'small-race', '--variants', 'stopref', '--format', 'json')
    expect(b.stdout).toBe(a.stdout)
  })

  it('an input error under --json is one stderr line and an error document, exit 2', async () => {
    const r = await runCli('run', 'small-race', '--variant', 'stop-machin', '--json')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`kreplay: unknown variant "stop-machin" (did you mean "stop-machine"?); valid: ${SHIPPED_VARIANTS.join(', ')} (or a path to a variant file)\n`)
    const doc = JSON.parse(r.stdout) as {kreplay: string; error: {message: string; exit: number}}
    expect(doc.kreplay).toBe('error')
    expect(doc.error.exit).toBe(2)
  })

  it('the plugins answer too: version --json, and a mistyped command suggests the right one (exit 2)', () => {
    const v = cli('version', '--json')
    expect(v.code).toBe(0)
    expect((JSON.parse(v.stdout) as {cliVersion: string}).cliVersion).toBe(`kreplay/${KREPLAY_VERSION}`)
    const typo = cli('compar')
    expect(typo.code).toBe(2)
    expect(typo.stderr).toBe('kreplay: "compar" is not a kreplay command (did you mean "compare"?); kreplay help lists them\n')
  })
})

describe('conventions', () => {
  it('suggests the closest flag and shipped trace, in one error style (exit 2)', async () => {
    const flag = await runCli('run', 'small-race', '--varient', 'stopref')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/^kreplay: unknown flag --varient \(did you mean "--variant"\?\)/)
    const trace = await runCli('run', 'small-rac', '--variant', 'stopref')
    expect(trace.code).toBe(2)
    expect(trace.stderr).toMatch(/^kreplay: no trace "small-rac" \(did you mean "small-race"\?\)/)
  })

  it('a flag value its parser refuses, and a directory given as a trace, are one-line input errors (exit 2), under --json too', async () => {
    const seed = await runCli('run', 'small-race', '--variant', 'stopref', '--seed', 'NaN', '--json')
    expect(seed.code).toBe(2)
    expect(seed.stderr).toBe('kreplay: --seed: Expected an integer but received: NaN; kreplay run --help shows the usage\n')
    expect((JSON.parse(seed.stdout) as {error: {exit: number}}).error.exit).toBe(2)
    const big = await runCli('run', 'small-race', '--variant', 'stopref', '--seed', '4294967296')
    expect(big.stderr).toBe('kreplay: --seed: Expected an integer less than or equal to 4294967295 but received: 4294967296; kreplay run --help shows the usage\n')
    const dir = await runCli('run', 'test', '--variant', 'stopref')
    expect(dir.code).toBe(2)
    expect(dir.stderr).toBe('kreplay: test: a directory, not a trace file\n')
    // oclif throws a plain CLIError for this one: it used to print in oclif's own style, and under --json exit 1.
    const twice = await runCli('run', 'small-race', '--variant', 'stopref', '--seed', '1', '--seed', '2', '--json')
    expect(twice.code).toBe(2)
    expect(twice.stderr).toBe('kreplay: Flag --seed can only be specified once; kreplay run --help shows the usage\n')
    expect((JSON.parse(twice.stdout) as {error: {exit: number}}).error.exit).toBe(2)
  })

  it('a directory named like a shipped trace (report --out small-race makes one) does not hide it', () => {
    const here = mkdtempSync(join(tmpdir(), 'kreplay-dir-'))
    mkdirSync(join(here, 'small-race'))
    const r = cliIn({cwd: here}, 'run', 'small-race', '--variant', 'stopref')
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^small-race × stopref \(seed 1\)/)
  })

  it('refuses flags that would be ignored: --format beside --json, search flags without report --explore or with explore --merge', async () => {
    const cases: [string[], RegExp][] = [
      [['compare', 'small-race', '--json', '--format', 'csv'], /--json=true cannot also be provided when using --format/],
      [['report', 'small-race', '--budget', '5', '--out', 'never-written'], /must be provided when using --budget: --explore/],
      [['explore', '--merge', 'a.json', 'b.json', '--seed', '9'], /--seed=9 cannot also be provided when using --merge/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(...(args as [string, ...string[]]))
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  })

  it('-v a,b, --variants a,b and a repeated --variant name the same variants, each once', async () => {
    const a = await runCli('check', 'idle-rmmod', '-v', 'stopref,stopref')
    const b = await runCli('check', 'idle-rmmod', '--variant', 'stopref', '--variant', 'stopref')
    expect(a.stdout).toBe(b.stdout)
    expect(a.stdout.match(/idle-rmmod × stopref/g)).toHaveLength(1)
  })

  it('--time takes a wall-clock unit and says seconds for a bare number', async () => {
    const r = await runCli('explore', 'small-race', '--variant', 'stopref', '--time', '30')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--time: a wall-clock limit needs a unit, e.g. 30s (seconds)')
  })
})
