import {Command, Errors, Flags} from '@oclif/core'
import {DEFAULT_STEP_BUDGET} from '../engine/machine.ts'
import {VariantError} from '../engine/variant-error.ts'
import {DEFAULT_LIMITS, type TraceLimits} from '../scenario/footprint.ts'
import {TraceError} from '../scenario/trace-error.ts'
import {isVariantPath, UnknownVariantError} from '../variants/registry.ts'
import {EXIT_INPUT} from './exit-codes.ts'
import {InputError} from '../core/input-error.ts'
import {MIN_TIMEOUT_S, reportPulseToWatchdog, runWatched, WATCHED_HEAP_HEADROOM_MB} from './watch.ts'
import {suggestion} from '../scenario/did-you-mean.ts'
import {MAX_SEED} from '../scenario/schema.ts'
import {toJson, versioned} from '../render/json.ts'

/**
 * The --timeout flag of the commands that run variants (watch.ts): seconds, a fraction
 * allowed, at least the watchdog's resolution (it looks every 0.1 s).
 */
export const timeoutFlag = Flags.custom<number>({
  default: 10,
  helpValue: '<seconds>',
  description: `seconds a variant loaded from a file may run without the simulation making progress (a loop that never yields); a fraction is allowed, at least ${MIN_TIMEOUT_S}`,
  parse: (input) => {
    const text = input.trim()
    const seconds = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN
    if (!(seconds >= MIN_TIMEOUT_S)) throw new Error(`Expected a number of seconds of at least ${MIN_TIMEOUT_S} (e.g. 10 or 0.5) but received: ${input}`)
    return Promise.resolve(seconds)
  },
})()

/** `--max-steps`: the step budget of each run (its default, the engine's). */
export const maxStepsFlag = Flags.integer({
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
  description: `steps of task and handler code a run may take; a run with anything left to do after them ends there, partial (run marks it so, and refuses a --schedule replay so cut; check fails it, and a search with such runs) (default ${DEFAULT_STEP_BUDGET.toLocaleString('en-US')})`,
})

/** A `--seed` flag: a seed as the trace format takes it (0 .. MAX_SEED); `exclusive`, flags it cannot go with. */
export function seedFlag(description: string, exclusive?: string[]) {
  return Flags.integer({min: 0, max: MAX_SEED, exclusive, description})
}

/** The --max-memory flag of the commands that load traces (src/scenario/footprint.ts). */
export const maxMemoryFlag = Flags.integer({
  min: 1,
  default: DEFAULT_LIMITS.maxMemoryMb,
  description: `MiB a trace may be estimated to need; a larger one is refused before it runs. A variant loaded from a file runs in a watched process whose heap may grow to this plus ${WATCHED_HEAP_HEADROOM_MB} MiB`,
})

/** The limits a trace is loaded within, from the command's --max-memory. */
export function traceLimits(flags: {'max-memory': number}): TraceLimits {
  return {maxMemoryMb: flags['max-memory']}
}

/**
 * The base of every kreplay command. Every command takes `--json` (oclif's
 * `enableJsonFlag`) and prints its result under the versioned envelope of
 * src/render/json.ts (`printJson`). Every error is one line in one style on stderr,
 * `kreplay: <what>` (with `--json`, also `{..., error: {message, exit}}` on stdout): input
 * errors (a malformed trace, an unknown variant, a variant that breaks the kernel API's
 * rules) and usage errors (an unknown flag, with did-you-mean) exit 2, never a stack trace.
 */
export abstract class KreplayCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    json: Flags.boolean({helpGroup: 'GLOBAL', description: 'print the result as JSON: a versioned shape with kreplayVersion and model (docs/json.md)'}),
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    // `this.exit(code)` throws: pass it on (oclif's own catch would print it as an error under --json).
    if (err instanceof Errors.ExitError) throw err
    const message = this.inputErrorMessage(err)
    if (message === null) return super.catch(err)
    process.stderr.write(`kreplay: ${message}\n`)
    if (this.jsonEnabled()) this.printJson('error', 1, {error: {message, exit: EXIT_INPUT}})
    this.exit(EXIT_INPUT)
  }

  /** The one-line message of an input or usage error, or null for anything else (a bug: oclif prints its stack). */
  private inputErrorMessage(err: Error): string | null {
    if (err instanceof TraceError || err instanceof UnknownVariantError || err instanceof InputError || err instanceof VariantError) return err.message
    const command = `kreplay ${(this.id ?? '').replaceAll(':', ' ')}`.trimEnd()
    // A flag value its parser refused (oclif prefixes the parser's message with this line).
    const value = /^Parsing (--[\w-]+) *\n([^]*?)(\nSee more help with --help)?$/.exec(err.message)
    if (value !== null) return `${value[1]}: ${value[2].trim()}; ${command} --help shows the usage`
    // A flag or argument oclif's parser refused (its own errors carry `parse`; some, such as
    // a flag given twice, are plain CLIErrors, thrown before oclif set `parsed`): its first
    // line, and the closest flag for an unknown one.
    if (!(err instanceof Errors.CLIError) || (!('parse' in err) && this.parsed)) return null
    const unknown = (err as {flags?: unknown}).flags
    if (Array.isArray(unknown) && unknown.length > 0) {
      const flags = Object.entries(this.ctor.flags).flatMap(([name, f]) => [`--${name}`, ...(f.aliases ?? []).map((a) => `--${a}`)])
      const names = unknown.map((f) => `${String(f)}${suggestion(String(f), [...flags, '--json', '--help'])}`)
      return `unknown flag ${names.join(', ')}; ${command} --help lists the flags`
    }
    const lines = err.message.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('See more help'))
    return `${lines.map((line) => line.trim()).join(' ')}; ${command} --help shows the usage`
  }

  /** Prints `body` as this command's `--json` output: under the versioned envelope (render/json.ts), byte-stable. */
  protected printJson(command: string, version: number, body: object): void {
    process.stdout.write(toJson(versioned(command, version, body)))
  }

  /**
   * When any of `variants` is a user's file, runs this very command line in a watched
   * child process (watch.ts) and exits with its code; returns false when there is nothing
   * to watch (shipped variants only), or when this is the watched process (which then
   * reports its pulse), and the caller goes on here. The child may go `--timeout` seconds
   * without the simulation making progress, and its heap may grow to `--max-memory` plus
   * WATCHED_HEAP_HEADROOM_MB.
   */
  protected async watchUserVariants(variants: readonly string[], flags: {readonly timeout: number; readonly 'max-memory': number}): Promise<boolean> {
    const files = variants.filter(isVariantPath)
    if (files.length === 0 || reportPulseToWatchdog()) return false
    const code = await runWatched([this.id!, ...this.argv], flags.timeout * 1000, files, flags['max-memory'] + WATCHED_HEAP_HEADROOM_MB)
    if (code !== 0) this.exit(code)
    return true
  }
}
