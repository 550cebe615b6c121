import {Args, Flags} from '@oclif/core'
import {KreplayCommand, timeoutFlag} from '../cli/base-command.ts'
import {runScenario} from '../engine/run.ts'
import {renderLog} from '../render/log-text.ts'
import {renderRunText} from '../render/run-text.ts'
import {toJson} from '../render/json.ts'
import {renderLanes} from '../render/lanes.ts'
import {replaySchedule} from '../explore/schedule/replay.ts'
import {loadTraceArg} from '../scenario/shipped.ts'
import {loadVariant} from '../variants/registry.ts'

export default class Run extends KreplayCommand {
  static override description = 'Run one trace against one variant and print its findings and metrics'

  static override examples = [
    '<%= config.bin %> run traces/isolated-rt-hog.yaml --variant stop-machine',
    '<%= config.bin %> run surprise-freeze --variant stop-machine --log',
    '<%= config.bin %> run traces/io-storm.yaml --variant ./my-variant.ts --seed 7 --json',
  ]

  static override args = {
    trace: Args.string({required: true, description: 'a trace file, or the name of a shipped trace'}),
  }

  static override flags = {
    variant: Flags.string({char: 'v', required: true, description: 'a shipped variant id, or a path to a variant file'}),
    seed: Flags.integer({description: "seed for the run's choices (default: the trace's seed)"}),
    log: Flags.boolean({description: 'print the event log, one line per event'}),
    json: Flags.boolean({description: 'print the RunResult as JSON'}),
    timeout: timeoutFlag,
    schedule: Flags.string({description: 'replay a schedule file written by kreplay explore (exactly; prints per-CPU lanes)', exclusive: ['seed']}),
    lanes: Flags.boolean({description: 'print the interleaving as per-CPU lanes (always with --schedule)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Run)
    if (await this.watchUserVariants([flags.variant], flags.timeout)) return
    if (flags.schedule !== undefined) {
      // A counterexample from explore: replayed in this process with its recorded choices.
      const scenario = loadTraceArg(args.trace)
      const replay = replaySchedule(scenario, await loadVariant(flags.variant), flags.schedule)
      if (flags.json) {
        process.stdout.write(toJson(flags.log ? {...replay.result, log: replay.log} : replay.result))
        return
      }
      if (flags.log) process.stdout.write(renderLog(replay.log) + '\n')
      process.stdout.write(`${replay.file.strategy} schedule ${replay.file.schedule} of ${scenario.name} × ${replay.result.variant} (${replay.file.mode}), replayed from ${flags.schedule}\n\n`)
      process.stdout.write(renderLanes(replay.log, replay.result.findings, {cpus: scenario.machine.cpus, untimed: replay.file.mode === 'untimed'}) + '\n')
      process.stdout.write(renderRunText(replay.result))
      return
    }
    const lanes = flags.lanes
    const cfg = {seed: flags.seed, log: flags.log || lanes, logOps: lanes}
    const out = runScenario(loadTraceArg(args.trace), await loadVariant(flags.variant), cfg)
    if (flags.json) {
      process.stdout.write(toJson(flags.log ? {...out.result, log: out.log} : out.result))
      return
    }
    if (flags.log) process.stdout.write(renderLog(out.log) + '\n')
    if (lanes) process.stdout.write(renderLanes(out.log, out.result.findings, {cpus: loadTraceArg(args.trace).machine.cpus}) + '\n')
    process.stdout.write(renderRunText(out.result))
  }
}
