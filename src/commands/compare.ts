import {Flags} from '@oclif/core'
import {SingleBar} from 'cli-progress'
import {KreplayCommand, maxMemoryFlag, seedFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {ftraceFlag, ftraceScenario} from '../cli/ftrace-flag.ts'
import {variantList, variantsFlag} from '../cli/variants-flag.ts'
import {runComparisonInParallel, type Comparison, type SearchPlan, type SeedPlan} from '../compare/compare.ts'
import {loadScenarios, loadVariants} from '../compare/load-inputs.ts'
import {renderCompareCsv} from '../render/compare-csv.ts'
import {compareJson} from '../render/compare-json.ts'
import {renderCompareMarkdown} from '../render/compare-markdown.ts'
import {renderCompareTable} from '../render/compare-table.ts'
import {parseSizeList} from '../scenario/resize.ts'

/** The shape of `compare --json` (docs/json.md). */
const COMPARE_JSON_VERSION = 1

/** More runs than this get a progress bar (on a terminal). */
const HANDFUL = 8

export default class Compare extends KreplayCommand {
  static override description =
    'Run traces against variants side by side: a table per trace, then a summary matrix (default: every shipped trace against every shipped variant)'

  static override examples = [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare isolated-rt-hog io-storm --variants stopref,stop-machine',
    '<%= config.bin %> compare idle-rmmod --cpus 4,64,1024 --seeds 10',
    '<%= config.bin %> compare --format markdown > comparison.md',
    '<%= config.bin %> compare small-race --json',
    '<%= config.bin %> compare --ftrace capture.txt',
    '<%= config.bin %> compare get-vs-remove --variants ./my-variant.ts --search all',
  ]

  static override strict = false

  static override usage = 'compare [TRACES...] [--variants a,b,...] [--seeds N | --seed N] [--cpus LIST] [--format table|markdown|json|csv] [--ftrace CAPTURE] [--search expected|all|none]'

  static override flags = {
    variants: variantsFlag(),
    seeds: Flags.integer({min: 1, exclusive: ['seed'], description: "run N seeds per cell: the trace's seed .. seed+N-1"}),
    seed: seedFlag("run exactly this seed (default: the trace's seed)", ['seeds']),
    cpus: Flags.string({description: 'resize each trace to these machine sizes, e.g. 4,64,1024 (a scenario <trace>@<n>cpus per size)'}),
    format: Flags.string({options: ['table', 'markdown', 'json', 'csv'], default: 'table', exclusive: ['json'], description: 'output format (json: the same as --json)'}),
    timeout: timeoutFlag,
    ftrace: ftraceFlag,
    'max-memory': maxMemoryFlag,
    search: Flags.string({
      options: ['expected', 'all', 'none'],
      default: 'expected',
      description:
        "also search schedules (the bounded search kreplay check uses) in: expected, the cells whose trace leaves a finding to search (by: explore in its expect:); all, every cell; none. A finding only search found is marked * and the table says how to replay it",
    }),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Compare)
    const variantArgs = variantList(flags.variants)
    if (await this.watchUserVariants(variantArgs, flags)) return
    const capture = flags.ftrace === undefined ? [] : [await ftraceScenario(flags.ftrace, this)]
    const scenarios = loadScenarios(argv as string[], flags.cpus === undefined ? [] : parseSizeList(flags.cpus), capture, traceLimits(flags))
    const variants = await loadVariants(variantArgs)
    const seeds: SeedPlan = flags.seed === undefined ? {count: flags.seeds ?? 1} : {first: flags.seed, count: 1}

    const progress = progressBar()
    let comparison: Comparison
    try {
      comparison = await runComparisonInParallel(scenarios, variants, {seeds, search: flags.search as SearchPlan, onRun: progress.onRun})
    } finally {
      progress.stop()
    }

    if (this.jsonEnabled() || flags.format === 'json') {
      this.printJson('compare', COMPARE_JSON_VERSION, compareJson(comparison))
      return
    }
    switch (flags.format) {
      case 'csv':
        process.stdout.write(renderCompareCsv(comparison))
        return
      case 'markdown':
        process.stdout.write(renderCompareMarkdown(comparison))
        return
      default:
        process.stdout.write(renderCompareTable(comparison, {colour: process.stdout.isTTY && process.env.NO_COLOR === undefined}))
    }
  }
}

/**
 * A progress bar on stderr, shown only when stderr is a terminal and there are more than
 * a handful of runs; otherwise nothing is written.
 */
function progressBar(): {onRun: (done: number, total: number) => void; stop: () => void} {
  let bar: SingleBar | null = null
  return {
    onRun(done, total) {
      if (done === 1 && total > HANDFUL && process.stderr.isTTY) {
        bar = new SingleBar({stream: process.stderr, clearOnComplete: true, hideCursor: true, format: 'running {bar} {value}/{total}'})
        bar.start(total, 0)
      }
      bar?.update(done)
    },
    stop() {
      bar?.stop()
    },
  }
}
