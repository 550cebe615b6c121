import {Config} from '@oclif/core'
import {captureOutput} from '@oclif/test'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** The compiled CLI, as `npx kreplay` runs it (test/build-dist.js builds dist/ before the tests). */
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What a command line printed and its exit code. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the real CLI in a child process, as a user's `npx kreplay` does (BIN), with its
 * exit code. A new
 * Node process per call (about a third of a second), so kept for the few end-to-end tests
 * (exit codes, pipes, stdin and signals of the real process); the rest use `runCli`.
 */
export function cli(...args: string[]): CliResult {
  return cliIn({cwd: process.cwd()}, ...args)
}

/**
 * `cli` run in the folder `cwd`, so relative paths and the files a command writes are
 * there, with `input` on its stdin; a process still running after `timeoutMs` is killed,
 * and its code is -1.
 */
export function cliIn(opts: {cwd: string; timeoutMs?: number; input?: string}, ...args: string[]): CliResult {
  // With the user's default of worker threads: the tests' KREPLAY_WORKERS=0 (vitest.config.ts)
  // saves loading the sources in a thread, but the real CLI's threads start compiled, cheaply.
  const env = {...process.env}
  delete env.KREPLAY_WORKERS
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd: opts.cwd, timeout: opts.timeoutMs, input: opts.input, encoding: 'utf8', maxBuffer: 1 << 28, env: {...env, NO_COLOR: '1'}})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

let config: Promise<Config> | null = null

/**
 * kreplay's oclif configuration without its command directory: oclif would otherwise load
 * every command file through its own TypeScript loader to list them, a second copy of the
 * sources beside vitest's that coverage cannot map.
 */
function testConfig(): Promise<Config> {
  const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {oclif: {commands?: string}}
  delete pjson.oclif.commands
  return (config ??= Config.load({root: ROOT, pjson} as Parameters<typeof Config.load>[0]))
}

/**
 * Runs a command line in this process: oclif parses and runs the command class as the
 * real CLI does (the same flags, output and exit code), without a new process. The class
 * is imported here rather than by oclif (as @oclif/test's runCommand would, through its
 * own TypeScript loader), so it and everything it imports are the modules vitest loaded:
 * one copy, which coverage measures. The exit code is the one the command exits with
 * (`this.exit`), 0 when it returns; an error oclif itself raises (a flag that does not
 * parse) is added to stderr, as the real CLI prints it.
 */
export async function runCli(id: string, ...args: string[]): Promise<CliResult> {
  // A topic's command (import/ftrace) is a folder deeper than vite's analysed dynamic imports reach.
  const file = new URL(`../../src/commands/${id}.ts`, import.meta.url).href
  const {default: cmd} = (await import(/* @vite-ignore */ file)) as {default: {id?: string; run(argv: string[], config: Config): Promise<unknown>}}
  cmd.id ??= id.replaceAll('/', ':')
  const conf = await testConfig()
  const r = await captureOutput(() => cmd.run(args, conf))
  const err = r.error
  if (err === undefined) return {code: 0, stdout: r.stdout, stderr: r.stderr}
  const code = err.oclif?.exit ?? 1
  const exited = err.message.startsWith('EEXIT:')
  return {code, stdout: r.stdout, stderr: exited ? r.stderr : `${r.stderr}${err.message}\n`}
}
