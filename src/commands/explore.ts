import {EXIT_FAILED, EXIT_INPUT} from '../cli/exit-codes.ts'
import {Args, Flags} from '@oclif/core'
import {parseTimeLimit} from '../cli/time-limit.ts'
import {KreplayCommand, maxMemoryFlag, seedFlag, timeoutFlag} from '../cli/base-command.ts'
import {InputError} from '../core/input-error.ts'
import {explore, type ExploreOptions} from '../explore/explore.ts'
import type {ExploreResult, Shard, StrategyName} from '../explore/explore-result.ts'
import {SEARCHES} from '../explore/searches.ts'
import {mergeResults, readExploreResult} from '../explore/parallel/merge.ts'
import {shardFromEnv} from '../explore/parallel/shard-env.ts'
import {writeCounterexamples, type ReportedCounterexample} from '../explore/schedule/write-counterexamples.ts'
import {renderExploreText} from '../render/explore-text.ts'
import {toJson} from '../render/json.ts'
import {exploreProgress} from '../cli/explore-progress.ts'
import {interruptible, SIGNAL_EXIT} from '../cli/interrupt.ts'

/** The wall-clock limit of a sampling search given neither --budget nor --time: a README example ends within a minute. */
export const DEFAULT_EXPLORE_TIME = '30s'

export default class Explore extends KreplayCommand {
  static override description =
    'Search the schedules of a trace × variant for races (use-after-free, freed-while-referenced, hangs, deadlocks): write a shrunk, replayable counterexample'

  static override examples = [
    '<%= config.bin %> explore get-vs-remove --variant lockfree-naive',
    '<%= config.bin %> explore small-race --variant atomic-refcnt --strategy exhaustive',
    '<%= config.bin %> explore small-race --variant lockfree-naive --strategy pct --depth 3 --all',
    '<%= config.bin %> explore get-vs-remove --variant stop-machine --time 10s --workers 2',
    '<%= config.bin %> explore get-vs-remove --variant lockfree-naive --strategy pct --all --budget 2000 --progress',
    '<%= config.bin %> explore small-race --variant lockfree-naive --json > found.json && <%= config.bin %> run small-race --variant lockfree-naive --schedule found.json',
    '<%= config.bin %> explore small-race --variant stop-machine --strategy exhaustive --shard 0/4 --json > part0.json',
    '<%= config.bin %> explore --merge part0.json part1.json part2.json part3.json',
  ]

  static override strict = false

  static override usage = ['explore TRACE --variant ID [--strategy random|pct|delay|exhaustive|stateful] [--max-states N] [--budget N] [--time 30s] [--depth d] [--workers n] [--shard i/n] [--all] [--json]', 'explore --merge RESULTS...']

  static override args = {
    trace: Args.string({description: 'a trace file, or the name of a shipped trace (with --merge: result files)', ignoreStdin: true}),
  }

  static override flags = {
    variant: Flags.string({char: 'v', description: 'a shipped variant id, or a path to a variant file'}),
    strategy: Flags.string({options: Object.keys(SEARCHES), default: 'random', description: 'how schedules are chosen'}),
    budget: Flags.integer({min: 1, description: 'schedules at most (default 100,000; exhaustive: no limit)'}),
    time: Flags.string({description: `wall-clock limit, e.g. 500ms, 30s, 40m or 2h (default ${DEFAULT_EXPLORE_TIME} unless --budget is given or the strategy is exhaustive; Ctrl-C also ends the search, with what it found)`}),
    progress: Flags.boolean({description: 'when stderr is not a terminal, print a progress line every few seconds (a terminal always gets a progress bar)'}),
    depth: Flags.integer({min: 1, description: 'pct: bug depth d (d-1 priority changes, default 3); delay: delays at most (default 2); random: delays per run (default 2)'}),
    seed: seedFlag("the search's seed (default: the trace's)"),
    workers: Flags.integer({min: 1, max: 64, default: 1, description: 'worker threads'}),
    shard: Flags.string({description: 'run shard i of n (schedule k belongs to shard k mod n), e.g. 0/4, or auto (Kubernetes Indexed Job, Slurm array: docs/explore.md); combine with --merge'}),
    all: Flags.boolean({description: 'go on after the first finding and count every kind'}),
    'max-states': Flags.integer({min: 1, description: 'stateful: states stored at most (20 bytes each; default 8,000,000)'}),
    new: Flags.boolean({description: 'do not count finding kinds the plain run (trace seed, no delays) already shows'}),
    out: Flags.string({description: 'directory for the schedule files (default: the current one; with --json only when given)'}),
    json: Flags.boolean({description: 'print the result as JSON (what --merge reads; run --schedule replays its first counterexample)'}),
    force: Flags.boolean({description: 'replace schedule files that already exist'}),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
    merge: Flags.boolean({
      exclusive: ['variant', 'strategy', 'budget', 'time', 'depth', 'seed', 'workers', 'shard', 'all', 'max-states', 'new'],
      description: 'combine the --json results of the shards of one search (arguments: the result files)',
    }),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Explore)
    if (await this.watchUserVariants(flags.variant === undefined ? [] : [flags.variant], flags)) return
    const args = argv as string[]
    let result: ExploreResult
    let searchMs: number | null = null
    let trace: string
    let variant: string
    let reported: ReportedCounterexample[]
    // Ctrl-C or SIGTERM ends the search with its summary so far and its counterexamples written.
    const interrupt = interruptible((line) => process.stderr.write(`\nkreplay: ${line}\n`))
    try {
      if (flags.merge) {
        result = mergeResults(args.map((path) => ({path, result: readExploreResult(path)})))
        trace = result.trace
        variant = result.variant
      } else {
        if (args.length !== 1) throw new InputError(args.length ? `explore takes one trace, got ${args.length}: ${args.join(' ')}` : 'explore needs a trace (a file, or the name of a shipped trace)')
        if (flags.variant === undefined) throw new InputError('explore needs --variant (a shipped variant id, or a path to a variant file)')
        trace = args[0]
        variant = flags.variant
        // Exhaustive search keeps going until complete unless told otherwise (it has a progress bar and Ctrl-C).
        const time = flags.time ?? (flags.budget === undefined && flags.strategy !== 'exhaustive' ? DEFAULT_EXPLORE_TIME : undefined)
        const timeMs = time === undefined ? null : parseTimeLimit(time)
        const progress = exploreProgress({budget: flags.budget ?? null, timeMs}, flags.progress)
        const opts: ExploreOptions = {
          trace,
          variant,
          strategy: flags.strategy as StrategyName,
          budget: flags.budget,
          timeMs,
          depth: flags.depth,
          seed: flags.seed,
          workers: flags.workers,
          shard: flags.shard === undefined ? null : parseShard(flags.shard),
          all: flags.all,
          newOnly: flags.new,
          maxStates: flags['max-states'],
          maxMemoryMb: flags['max-memory'],
          plainFirst: true,
          progress: progress?.update,
          stop: interrupt.signal,
        }
        try {
          const run = await explore(opts)
          result = run.result
          searchMs = run.searchMs
        } finally {
          progress?.stop()
        }
      }
      const dir = flags.out ?? (this.jsonEnabled() ? null : '.')
      reported = writeCounterexamples(result.counterexamples, dir, trace, variant, flags.force)
      if (this.jsonEnabled()) process.stdout.write(toJson(result))
      else process.stdout.write(renderExploreText(result, searchMs === null ? null : {searchMs}, reported))
    } finally {
      interrupt.dispose()
    }
    // A counterexample that could not be written is an input error, once the search's result is out.
    const unwritten = reported.flatMap((c) => (c.unwritten === null ? [] : [c.unwritten]))
    for (const why of unwritten) process.stderr.write(`kreplay: ${why}\n`)
    if (unwritten.length > 0) this.exit(EXIT_INPUT)
    // A finding fails the run, as a failed check does: a CI job can gate on it.
    if (result.counterexamples.length > 0 || result.stopped === 'plain-run') this.exit(EXIT_FAILED)
    const signal = interrupt.received()
    if (signal !== null) this.exit(SIGNAL_EXIT[signal])
  }
}

/** `--shard i/n`: shard i (0-based) of n. */
function parseShard(text: string): Shard {
  if (text === 'auto') return shardFromEnv(process.env)
  const m = /^(\d+)\/(\d+)$/.exec(text)
  if (m === null || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) {
    throw new InputError(`--shard: expected i/n with 0 <= i < n, like 0/4, got "${text}"`)
  }
  return {index: Number(m[1]), count: Number(m[2])}
}
