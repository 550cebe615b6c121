import {Flags} from '@oclif/core'
import {SingleBar} from 'cli-progress'
import {parseTimeLimit} from '../cli/time-limit.ts'
import {KreplayCommand, maxMemoryFlag, seedFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {ftraceFlag, ftraceScenario} from '../cli/ftrace-flag.ts'
import {PROGRESS_LINE_MS} from '../cli/explore-progress.ts'
import {interruptible, SIGNAL_EXIT} from '../cli/interrupt.ts'
import {variantList, variantsFlag} from '../cli/variants-flag.ts'
import {checkOutDir} from '../core/check-out-dir.ts'
import {checkDistinctNames} from '../scenario/distinct-names.ts'
import {InputError} from '../core/input-error.ts'
import {loadVariants} from '../compare/load-inputs.ts'
import type {SeedPlan} from '../compare/compare.ts'
import type {StrategyName} from '../explore/explore-result.ts'
import {buildReport, type ReportExplore} from '../report/report-data.ts'
import {writeReport} from '../render/report/report-files.ts'
import {parseSizeList, resizeScenario} from '../scenario/resize.ts'
import {loadTraceArg, shippedTraceFiles, traceName} from '../scenario/shipped.ts'
import {shippedIds} from '../variants/registry.ts'

export default class Report extends KreplayCommand {
  static override description =
    'Write a report directory for a design discussion: report.md, report.html (per-CPU timelines, histograms), lkml.txt (a mail body) and trace.json (for Perfetto)'

  static override examples = [
    '<%= config.bin %> report small-race get-vs-remove --explore --out r',
    '<%= config.bin %> report rt-starvation isolated-rt-hog --variants stopref,krmmod,stop-machine --out r',
    '<%= config.bin %> report idle-rmmod --cpus 4,64,256 --out sweep --force',
    '<%= config.bin %> report --ftrace capture.txt --out my-machine',
    '<%= config.bin %> report idle-rmmod --out r --json',
  ]

  static override strict = false

  static override usage = 'report [TRACES...] [--variants a,b,...] [--seeds N] [--cpus LIST] [--explore [--strategy S] [--budget N] [--time 30s]] --out DIR [--force] [--json]'

  static override flags = {
    variants: variantsFlag(),
    seeds: Flags.integer({min: 1, exclusive: ['seed'], description: "run N seeds per cell: the trace's seed .. seed+N-1 (timelines show the first)"}),
    seed: seedFlag("run exactly this seed (default: the trace's seed)", ['seeds']),
    cpus: Flags.string({description: 'resize each trace to these machine sizes, e.g. 4,64,1024, and draw stall_total and rmmod_latency against them'}),
    explore: Flags.boolean({description: 'search every trace × variant for races and draw the shortest counterexample of each racing variant'}),
    strategy: Flags.string({options: ['random', 'pct', 'delay', 'exhaustive'], dependsOn: ['explore'], description: 'with --explore: how schedules are chosen (default random)'}),
    budget: Flags.integer({min: 1, dependsOn: ['explore'], description: 'with --explore: schedules per trace × variant (default: 100, fewer for long traces, about 5,000,000 simulated steps a search)'}),
    time: Flags.string({dependsOn: ['explore'], description: 'with --explore: wall-clock limit per search, e.g. 30s or 5m (a search it cuts short makes the report vary)'}),
    out: Flags.string({char: 'o', required: true, description: 'the directory to write'}),
    force: Flags.boolean({description: 'write into an existing directory, replacing the report files in it'}),
    progress: Flags.boolean({description: 'when stderr is not a terminal, print a progress line every few seconds (a terminal gets a progress bar)'}),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
    ftrace: ftraceFlag,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Report)
    const variantArgs = flags.variants === undefined ? shippedIds() : variantList(flags.variants)
    if (await this.watchUserVariants(variantArgs, flags)) return
    checkOutDir(flags.out, '--out', flags.force)
    if (flags.ftrace !== undefined && flags.explore) {
      throw new InputError(`--explore searches trace files: write the capture as one with kreplay import ftrace ${flags.ftrace} -o capture.yaml, then report capture.yaml`)
    }
    const capture = flags.ftrace === undefined ? [] : [{scenario: await ftraceScenario(flags.ftrace, this), arg: flags.ftrace}]
    const traceArgs = (argv as string[]).length || capture.length ? (argv as string[]) : shippedTraceFiles().map(traceName)
    const traces = [...traceArgs.map((arg) => ({scenario: loadTraceArg(arg, traceLimits(flags)), arg})), ...capture]
    checkDistinctNames(traces.map((t) => ({name: t.scenario.name, arg: t.arg})))
    const loaded = await loadVariants(variantArgs)
    const variants = loaded.map((variant, i) => ({variant, arg: variantArgs[i]}))
    const seeds: SeedPlan = flags.seed === undefined ? {count: flags.seeds ?? 1} : {first: flags.seed, count: 1}
    const explore: ReportExplore | null = flags.explore
      ? {strategy: (flags.strategy ?? 'random') as StrategyName, budget: flags.budget ?? null, timeMs: flags.time === undefined ? null : parseTimeLimit(flags.time)}
      : null
    const cpus = flags.cpus === undefined ? [] : parseSizeList(flags.cpus)
    const bar = process.stderr.isTTY ? new SingleBar({stream: process.stderr, clearOnComplete: true, hideCursor: true, format: 'report {bar} {value}/{total}'}) : null
    let lastLine = -Infinity
    const line = (done: number, total: number) => {
      if (!flags.progress || performance.now() - lastLine < PROGRESS_LINE_MS) return
      lastLine = performance.now()
      process.stderr.write(`kreplay: report: ${done} of ${total} runs and searches done\n`)
    }
    // Ctrl-C or SIGTERM: nothing more is computed or written; files already written are whole (written atomically).
    const interrupt = interruptible((text) => process.stderr.write(`\nkreplay: ${text}\n`))
    let data
    try {
      data = await buildReport({
        traces,
        variants,
        seeds,
        cpus,
        explore,
        scheduleDir: flags.out,
        force: flags.force,
        resize: resizeScenario,
        defaults: {traces: argv.length === 0, variants: flags.variants === undefined},
        stop: interrupt.signal,
        onStep: (done, total) => {
          if (bar === null) { line(done, total); return; }
          if (done === 1) bar.start(total, 0)
          bar.update(done)
        },
      })
    } finally {
      bar?.stop()
      interrupt.dispose()
    }
    const signal = interrupt.received()
    if (signal !== null) {
      const schedules = data.counterexamples.map((c) => c.path)
      process.stderr.write(`kreplay: interrupted: the report was not written${schedules.length ? `; schedule files already written: ${schedules.join(', ')}` : ''}\n`)
      this.exit(SIGNAL_EXIT[signal])
    }
    const command = commandLine(argv.length === 0 ? [] : traceArgs, flags.variants === undefined ? [] : variantArgs, flags)
    const written = writeReport(data, flags.out, command, flags.force)
    if (this.jsonEnabled()) {
      this.printJson('report', 1, {dir: flags.out, files: written})
      return
    }
    for (const f of written) process.stdout.write(`wrote ${f.path} (${f.bytes.toLocaleString('en-US')} bytes)\n`)
  }
}

/** The command line that regenerates the report, in a canonical form (no traces or variants: the defaults). */
function commandLine(traces: readonly string[], variants: readonly string[], flags: {ftrace?: string; seeds?: number; seed?: number; cpus?: string; explore: boolean; strategy?: string; budget?: number; time?: string; out: string}): string {
  const parts = ['kreplay report', ...traces]
  if (flags.ftrace !== undefined) parts.push(`--ftrace ${flags.ftrace}`)
  if (variants.length) parts.push(`--variants ${variants.join(',')}`)
  if (flags.seed !== undefined) parts.push(`--seed ${flags.seed}`)
  if (flags.seeds !== undefined) parts.push(`--seeds ${flags.seeds}`)
  if (flags.cpus !== undefined) parts.push(`--cpus ${flags.cpus}`)
  if (flags.explore) {
    parts.push('--explore')
    if (flags.strategy !== undefined && flags.strategy !== 'random') parts.push(`--strategy ${flags.strategy}`)
    if (flags.budget !== undefined) parts.push(`--budget ${flags.budget}`)
    if (flags.time !== undefined) parts.push(`--time ${flags.time}`)
  }
  parts.push(`--out ${flags.out}`)
  return parts.join(' ')
}
