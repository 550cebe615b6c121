import {Args, Flags} from '@oclif/core'
import {KreplayCommand, maxMemoryFlag, maxStepsFlag, seedFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {ftraceFlag, ftraceScenario} from '../cli/ftrace-flag.ts'
import {InputError} from '../core/input-error.ts'
import {runScenario} from '../engine/run.ts'
import {renderLog} from '../render/log-text.ts'
import {renderRunText} from '../render/run-text.ts'
import {renderLanes} from '../render/lanes.ts'
import {replaySchedule} from '../explore/schedule/replay.ts'
import {loadTraceArg} from '../scenario/shipped.ts'
import {loadVariant} from '../variants/registry.ts'
import {writePerfetto} from '../render/report/write-perfetto.ts'

/** The shape of `run --json` (docs/json.md): the RunResult, with `log` under --log. */
const RUN_JSON_VERSION = 1

export default class Run extends KreplayCommand {
  static override description = 'Run one trace against one variant and print its findings and metrics'

  static override examples = [
    '<%= config.bin %> run traces/isolated-rt-hog.yaml --variant stop-machine',
    '<%= config.bin %> run surprise-freeze --variant stop-machine --log',
    '<%= config.bin %> run traces/io-storm.yaml --variant ./my-variant.ts --seed 7 --json',
    '<%= config.bin %> run --ftrace capture.txt --variant stop-machine',
    '<%= config.bin %> run get-vs-remove --variant lockfree-naive --perfetto get-vs-remove.json',
  ]

  static override args = {
    trace: Args.string({description: 'a trace file, or the name of a shipped trace (or give --ftrace)', ignoreStdin: true}),
  }

  static override flags = {
    variant: Flags.string({char: 'v', required: true, description: 'a shipped variant id, or a path to a variant file'}),
    seed: seedFlag("seed for the run's choices (default: the trace's seed)"),
    log: Flags.boolean({description: 'print the event log, one line per event'}),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
    'max-steps': maxStepsFlag,
    schedule: Flags.string({description: 'replay a schedule file written by kreplay explore (exactly; prints per-CPU lanes)', exclusive: ['seed']}),
    lanes: Flags.boolean({description: 'print the interleaving as per-CPU lanes (always with --schedule)'}),
    ftrace: ftraceFlag,
    perfetto: Flags.string({description: 'also write the run as a Chrome Trace Event file for Perfetto (ui.perfetto.dev) or chrome://tracing'}),
    force: Flags.boolean({description: 'with --perfetto: replace the file if it exists'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Run)
    if (await this.watchUserVariants([flags.variant], flags)) return
    if ((args.trace === undefined) === (flags.ftrace === undefined)) throw new InputError('give a trace, or a capture with --ftrace (one of them)')
    if (flags.perfetto === '-') throw new InputError('--perfetto -: the run itself is printed on standard output; name a file for its trace events')
    const scenario = flags.ftrace === undefined ? loadTraceArg(args.trace!, traceLimits(flags)) : await ftraceScenario(flags.ftrace, this)
    if (flags.schedule !== undefined) {
      // A counterexample from explore: replayed in this process with its recorded choices.
      const replay = replaySchedule(scenario, await loadVariant(flags.variant), flags.schedule, flags['max-steps'])
      if (flags.perfetto !== undefined) writePerfetto(flags.perfetto, {scenario, result: replay.result, log: replay.log, untimed: replay.file.mode === 'untimed'}, flags.force)
      if (this.jsonEnabled()) {
        this.printJson('run', RUN_JSON_VERSION, flags.log ? {...replay.result, log: replay.log} : replay.result)
        return
      }
      if (flags.log) process.stdout.write(renderLog(replay.log, replay.result.findings) + '\n')
      process.stdout.write(`${replay.file.strategy} schedule ${replay.file.schedule} of ${scenario.name} × ${replay.result.variant} (${replay.file.mode}), replayed from ${flags.schedule}\n\n`)
      process.stdout.write(renderLanes(replay.log, replay.result.findings, {cpus: scenario.machine.cpus, untimed: replay.file.mode === 'untimed'}) + '\n')
      process.stdout.write(renderRunText(replay.result))
      return
    }
    const lanes = flags.lanes
    const perfetto = flags.perfetto !== undefined
    const cfg = {seed: flags.seed, log: flags.log || lanes || perfetto, logOps: lanes || perfetto, stepBudget: flags['max-steps']}
    const out = runScenario(scenario, await loadVariant(flags.variant), cfg)
    if (flags.perfetto !== undefined) writePerfetto(flags.perfetto, {scenario, result: out.result, log: out.log}, flags.force)
    if (this.jsonEnabled()) {
      this.printJson('run', RUN_JSON_VERSION, flags.log ? {...out.result, log: out.log} : out.result)
      return
    }
    if (flags.log) process.stdout.write(renderLog(out.log, out.result.findings) + '\n')
    if (lanes) process.stdout.write(renderLanes(out.log, out.result.findings, {cpus: scenario.machine.cpus}) + '\n')
    process.stdout.write(renderRunText(out.result))
  }
}
