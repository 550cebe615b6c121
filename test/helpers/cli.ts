import {runCommand} from '@oclif/test'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What a command line printed and its exit code. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the real CLI in a child process: what a user types, with its exit code. Costs a
 * second or more per call (a new Node process loading oclif and tsx), so kept for the
 * few end-to-end tests (exit codes of the real process, variants watched in a worker);
 * the rest use `runCli`.
 */
export function cli(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, NO_COLOR: '1'}})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

/**
 * Runs a command line in this process through oclif (@oclif/test's runCommand): the same
 * commands, flags and output as `cli`, without a new process. The exit code is the one
 * the command exits with (`this.exit`), 0 when it returns; an error oclif itself raises
 * (a flag that does not parse) is added to stderr, as the real CLI prints it. Arguments
 * must not contain spaces (runCommand splits the line on them).
 */
export async function runCli(...args: string[]): Promise<CliResult> {
  if (args.some((a) => /\s/.test(a))) throw new Error(`runCli: an argument with a space: ${JSON.stringify(args)}`)
  const r = await runCommand(args, {root: ROOT})
  const err = r.error
  if (err === undefined) return {code: 0, stdout: r.stdout, stderr: r.stderr}
  const code = err.oclif?.exit ?? 1
  const exited = err.message.startsWith('EEXIT:')
  return {code, stdout: r.stdout, stderr: exited ? r.stderr : `${r.stderr}${err.message}\n`}
}
