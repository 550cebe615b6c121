import {Args} from '@oclif/core'
import {KreplayCommand, maxMemoryFlag, seedFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {EXIT_FAILED} from '../cli/exit-codes.ts'
import {diffLogs, firstDivergence} from '../diff/log-diff.ts'
import {runScenario} from '../engine/run.ts'
import type {LogLine} from '../engine/engine.ts'
import {loadTraceArg} from '../scenario/shipped.ts'
import {loadVariant} from '../variants/registry.ts'

export default class Diff extends KreplayCommand {
  static override description =
    'Run one trace against two variants and print where their event logs part: the first divergence, each side\'s findings, and a unified diff of the logs'

  static override examples = [
    '<%= config.bin %> diff idle-rmmod stopref stop-machine',
    '<%= config.bin %> diff isolated-rt-hog krmmod stop-machine --seed 3',
    '<%= config.bin %> diff get-vs-remove atomic-refcnt lockfree-naive --json',
  ]

  static override args = {
    trace: Args.string({required: true, description: 'a trace file, or the name of a shipped trace', ignoreStdin: true}),
    variantA: Args.string({required: true, description: 'the old side (-): a shipped variant id or a path', ignoreStdin: true}),
    variantB: Args.string({required: true, description: 'the new side (+): a shipped variant id or a path', ignoreStdin: true}),
  }

  static override flags = {
    seed: seedFlag("seed for both runs (default: the trace's seed)"),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Diff)
    if (await this.watchUserVariants([args.variantA, args.variantB], flags)) return
    const scenario = loadTraceArg(args.trace, traceLimits(flags))
    const [a, b] = [await loadVariant(args.variantA), await loadVariant(args.variantB)]
    const side = (label: string, out: ReturnType<typeof runScenario>) => ({label, result: out.result, log: out.log})
    const runA = runScenario(scenario, a, {seed: flags.seed, log: true})
    const runB = runScenario(scenario, b, {seed: flags.seed, log: true})
    const text = diffLogs(side(a.meta.id, runA), side(b.meta.id, runB))
    // Runs that part (in what happened, or in what was found) are a difference: exit 1, as diff(1) does.
    const findings = (out: typeof runA) => JSON.stringify(out.result.findings.map((f) => [f.kind, f.task, f.cpu]))
    const divergence = firstDivergence(runA.log, runB.log)
    const differ = divergence !== null || findings(runA) !== findings(runB)
    if (this.jsonEnabled()) {
      const at = (e: LogLine | null) => (e === null ? null : {t: e.t, cpu: e.cpu, task: e.task, what: e.what})
      this.printJson('diff', 1, {
        trace: runA.result.trace,
        seed: runA.result.seed,
        differ,
        divergence: divergence === null ? null : {event: divergence.index + 1, a: at(divergence.a), b: at(divergence.b)},
        a: runA.result,
        b: runB.result,
        diff: text,
      })
    } else process.stdout.write(text)
    if (differ) this.exit(EXIT_FAILED)
  }
}
