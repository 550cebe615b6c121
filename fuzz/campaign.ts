/**
 * The fuzzing campaign: draws `count` trace files from a seed (valid ones from
 * valid-trace.ts, broken ones from mutated-trace.ts), runs `kreplay run` against every
 * shipped variant and `kreplay check` on each, in worker threads under a wall-clock guard,
 * runs every accepted trace a second time to compare the JSON byte for byte, and judges
 * every outcome (outcome.ts). A failing case is shrunk with fast-check's shrinker to a
 * smaller file that fails the same way, and written as a reproducer.
 */
import {mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fork, type ChildProcess} from 'node:child_process'
import fc from 'fast-check'
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus'
import {stringify} from 'yaml'
import {mutatedTrace, type Damage} from './mutated-trace.ts'
import {judge, type CaseJob, type CommandOutcome, type FailureKind} from './outcome.ts'
import {validTrace} from './valid-trace.ts'
import {avalanche} from '../src/engine/state-hash.ts'
import {SHIPPED_VARIANTS} from '../src/variants/registry.ts'

/** The shipped variants every case runs against. */
const VARIANTS: readonly string[] = SHIPPED_VARIANTS

/** One drawn case: the file's bytes, and the damage done (null for a valid trace). */
interface Case {
  readonly damage: Damage | null
  readonly bytes: Uint8Array
}

const encode = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Valid traces (as YAML, or as JSON one time in five) and broken ones, half and half. */
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(validTrace(), fc.integer({min: 0, max: 4})).map(([t, json]): Case => ({damage: null, bytes: encode(json === 0 ? JSON.stringify(t) : stringify(t))})),
  mutatedTrace,
)

/** Options of a campaign. */
export interface CampaignOptions {
  readonly count: number
  readonly seed: number
  /** The first case's number (default 0): a campaign from `first` replays cases first .. first+count-1 of its seed. */
  readonly first?: number
  /** Worker threads running cases. */
  readonly workers: number
  /** Wall-clock time one command of a case may take before the case counts as a hang. */
  readonly guardMs: number
  /** Where reproducers of failing cases are written (created if absent); none when null. */
  readonly outDir: string | null
  /**
   * Run every case against every shipped variant (the full campaign), or each against one,
   * in turn by case number (a quick slice that still covers every variant).
   */
  readonly everyVariant: boolean
  /** Attempts the shrinker makes per failing case. */
  readonly shrinkTries: number
  /** Called after each case with the number done. */
  readonly onProgress?: (done: number) => void
}

/** One failure: the case, what failed, and the reproducer written for it. */
export interface Failure {
  readonly index: number
  readonly kind: FailureKind
  readonly why: string
  readonly damage: Damage | null
  readonly argv: readonly string[]
  /** The shrunk reproducer's path, or null when none was written. */
  readonly reproducer: string | null
}

/** A campaign's figures. */
export interface CampaignReport {
  readonly cases: number
  readonly valid: number
  readonly mutated: number
  /** Cases whose file every command rejected with exit 2 at file:line:column. */
  readonly rejected: number
  readonly commands: number
  readonly failures: readonly Failure[]
  readonly counts: Readonly<Record<FailureKind, number>>
  /** Peak resident memory of the campaign and of any one case process, in MiB. */
  readonly peakRssMb: number
  readonly ms: number
}

/**
 * The case drawn at `index` of a campaign seeded `seed`, with its shrink context. The
 * generator's seed is the pair mixed by murmur3's finaliser: xoroshiro128+ seeded with
 * consecutive integers gives correlated first draws (valid and broken cases alternated
 * with the index, and neighbours were damaged alike).
 */
function draw(seed: number, index: number): fc.Value<Case> {
  const rng = new fc.Random(xoroshiro128plus(avalanche(Math.imul(seed, 1_000_003) + index)))
  return caseArb.generate(rng, undefined)
}

/** Command lines for a trace file: run against each of `variants`, check, then every run again. */
function commandsFor(file: string, variants: readonly string[]): string[][] {
  const runs = variants.map((v) => ['run', file, '--variant', v, '--json'])
  return [runs[0], ['check', file], ...runs.slice(1), ...runs]
}

/** Heap a case process may use: a case past it is a crash (out of memory), not the campaign's end. */
const CASE_HEAP_MB = 3072

/**
 * A case process with a wall-clock guard per job. Cases run in a child process, not a
 * worker thread: V8 can abort the whole process when a thread runs out of heap, and a
 * case that does must end only itself.
 */
class Pool {
  private idle: ChildProcess | null = null
  private nextId = 0
  /** The largest peak resident memory a case process reported, in KiB. */
  maxRssKb = 0

  constructor(private readonly guardMs: number) {}

  private spawn(): ChildProcess {
    return fork(new URL('./case-worker.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${CASE_HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: {...process.env, NO_COLOR: '1'},
    })
  }

  /** Runs `commands`; resolves to their outcomes, or to a hang or crash of the whole worker. */
  run(commands: readonly (readonly string[])[], stopOnReject: boolean): Promise<{outcomes: CommandOutcome[]} | {kind: FailureKind; why: string}> {
    const worker = this.idle ?? this.spawn()
    this.idle = null
    const job: CaseJob = {id: this.nextId++, commands, stopOnReject}
    return new Promise((resolve) => {
      let settled = false
      const settle = (value: {outcomes: CommandOutcome[]} | {kind: FailureKind; why: string}, keep: boolean) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        worker.removeAllListeners()
        if (keep) this.idle = worker
        else worker.kill('SIGKILL')
        resolve(value)
      }
      const hang = (command: number) => () => {
        settle({kind: 'hang', why: `command ${command + 1} of the case still running after ${this.guardMs / 1000} s of wall time`}, false)
      }
      let timer = setTimeout(hang(0), this.guardMs)
      worker.on('message', (msg: {id: number; started: number} | {id: number; outcomes: CommandOutcome[]; maxRssKb: number}) => {
        if ('started' in msg) {
          clearTimeout(timer)
          timer = setTimeout(hang(msg.started), this.guardMs)
          return
        }
        this.maxRssKb = Math.max(this.maxRssKb, msg.maxRssKb)
        settle({outcomes: msg.outcomes}, true)
      })
      worker.on('error', (err) => {
        settle({kind: 'crash', why: `the case process failed: ${err.message.split('\n')[0]}`}, false)
      })
      worker.on('exit', (code, signal) => {
        settle({kind: 'crash', why: `the case process ended (${signal ?? `exit ${code}`}): out of memory?`}, false)
      })
      worker.send(job)
    })
  }

  close(): void {
    this.idle?.kill('SIGKILL')
    this.idle = null
  }
}

/** Runs one case from its bytes; the first failure, or null when every outcome is accepted. */
async function runCase(pool: Pool, dir: string, name: string, c: Case, variants: readonly string[]): Promise<{fail: {kind: FailureKind; why: string; argv: readonly string[]} | null; rejected: boolean; commands: number}> {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, c.bytes)
  try {
    const commands = commandsFor(file, variants)
    const done = await pool.run(commands, true)
    if ('kind' in done) return {fail: {...done, argv: ['(case)', file]}, rejected: false, commands: 0}
    for (const o of done.outcomes) {
      const bad = judge(o, file)
      if (bad !== null) return {fail: {...bad, argv: o.argv}, rejected: false, commands: done.outcomes.length}
    }
    const rejected = done.outcomes.some((o) => o.code === 2)
    if (!rejected) {
      // The second pass of runs must print what the first printed, byte for byte.
      const first = done.outcomes.filter((o) => o.argv[0] === 'run')
      const again = first.splice(variants.length)
      const differs = first.findIndex((o, i) => o.stdout !== again[i]?.stdout)
      if (differs >= 0) return {fail: {kind: 'nondeterministic', why: 'two identical runs printed different JSON', argv: first[differs].argv}, rejected, commands: done.outcomes.length}
    }
    return {fail: null, rejected, commands: done.outcomes.length}
  } finally {
    rmSync(file, {force: true})
  }
}

/** Greedy shrinking: the smallest case found by fast-check's shrinker that fails with the same kind. */
async function shrink(pool: Pool, dir: string, start: fc.Value<Case>, kind: FailureKind, variants: readonly string[], tries: number): Promise<Case> {
  let best = start
  let left = tries
  let improved = true
  while (improved && left > 0) {
    improved = false
    for (const candidate of caseArb.shrink(best.value, best.context)) {
      if (left-- <= 0) break
      const r = await runCase(pool, dir, 'shrink', candidate.value, variants)
      if (r.fail?.kind === kind) {
        best = candidate
        improved = true
        break
      }
    }
  }
  return best.value
}

/** Writes `bytes` to `file` atomically (a temporary file, then a rename). */
function writeAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, file)
}

/** Runs a campaign; see the module comment. */
export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const t0 = performance.now()
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-fuzz-'))
  const pools = Array.from({length: Math.max(1, opts.workers)}, () => new Pool(opts.guardMs))
  const failures: Failure[] = []
  const counts: Record<FailureKind, number> = {crash: 0, hang: 0, nondeterministic: 0, 'bad-error': 0}
  let valid = 0
  let rejected = 0
  let commands = 0
  const first = opts.first ?? 0
  let next = first
  let done = 0
  const lane = async (pool: Pool) => {
    while (next < first + opts.count) {
      const index = next++
      const drawn = draw(opts.seed, index)
      if (drawn.value.damage === null) valid++
      const variants = opts.everyVariant ? VARIANTS : [VARIANTS[index % VARIANTS.length]]
      const r = await runCase(pool, dir, `case-${index}`, drawn.value, variants)
      commands += r.commands
      if (r.rejected) rejected++
      if (r.fail !== null) {
        counts[r.fail.kind]++
        let reproducer: string | null = null
        if (opts.outDir !== null) {
          const small = await shrink(pool, dir, drawn, r.fail.kind, variants, opts.shrinkTries)
          mkdirSync(opts.outDir, {recursive: true})
          reproducer = join(opts.outDir, `${r.fail.kind}-seed${opts.seed}-case${index}.yaml`)
          writeAtomic(reproducer, small.bytes)
          writeAtomic(`${reproducer}.txt`, `${r.fail.kind}: ${r.fail.why}\ncommand: kreplay ${r.fail.argv.join(' ')}\nreplace the trace path with ${reproducer}\n`)
        }
        failures.push({index, kind: r.fail.kind, why: r.fail.why, damage: drawn.value.damage, argv: r.fail.argv, reproducer})
      }
      opts.onProgress?.(++done)
    }
  }
  try {
    await Promise.all(pools.map(lane))
  } finally {
    for (const p of pools) p.close()
    rmSync(dir, {recursive: true, force: true})
  }
  failures.sort((a, b) => a.index - b.index)
  return {
    cases: opts.count,
    valid,
    mutated: opts.count - valid,
    rejected,
    commands,
    failures,
    counts,
    peakRssMb: Math.round(Math.max(process.resourceUsage().maxRSS, ...pools.map((p) => p.maxRssKb)) / 1024),
    ms: performance.now() - t0,
  }
}
