/**
 * Case process of the fuzzing campaign (campaign.ts): runs kreplay command lines in this
 * process, one after another, as the CLI would, and sends back each one's exit code and
 * output. The campaign's wall-clock guard kills this process if one command never ends.
 */
import {Config} from '@oclif/core'
import {kreplayLoadOptions} from '../src/cli/load-options.ts'
import type {CommandOutcome, CaseJob} from './outcome.ts'

// The sources' commands, as bin/dev.js runs them.
const config = await Config.load(kreplayLoadOptions())

/** The exit code an oclif error carries, or null for an error that is not oclif's. */
function exitOf(err: unknown): number | null {
  const code = (err as {oclif?: {exit?: unknown}} | null)?.oclif?.exit
  return typeof code === 'number' ? code : null
}

/** Runs one command line with stdout and stderr captured. */
async function runOne(argv: readonly string[]): Promise<CommandOutcome> {
  const out: string[] = []
  const err: string[] = []
  const write = {stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr)}
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }) as typeof process.stdout.write
  process.stdout.write = capture(out)
  process.stderr.write = capture(err)
  let code = 0
  let crash: string | null = null
  try {
    await config.runCommand(argv[0], argv.slice(1))
  } catch (error) {
    const exit = exitOf(error)
    if (exit === null) {
      code = -1
      crash = error instanceof Error ? (error.stack ?? error.message) : String(error)
    } else {
      code = exit
    }
  } finally {
    process.stdout.write = write.stdout
    process.stderr.write = write.stderr
  }
  return {argv: [...argv], code, stdout: out.join(''), stderr: err.join(''), crash}
}

process.on('message', (job: CaseJob) => {
  void (async () => {
    const outcomes: CommandOutcome[] = []
    for (const argv of job.commands) {
      // The campaign's guard times each command, not the whole case.
      process.send!({id: job.id, started: outcomes.length})
      const o = await runOne(argv)
      outcomes.push(o)
      // A rejected input is rejected whatever the variant: one run and one check say it.
      if (job.stopOnReject && o.code === 2) break
    }
    process.send!({id: job.id, outcomes, maxRssKb: process.resourceUsage().maxRSS})
  })()
})
