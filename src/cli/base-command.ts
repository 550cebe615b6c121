import {Command, Flags} from '@oclif/core'
import {isMainThread} from 'node:worker_threads'
import {VariantError} from '../engine/variant-error.ts'
import {DEFAULT_LIMITS, type TraceLimits} from '../scenario/footprint.ts'
import {TraceError} from '../scenario/trace-error.ts'
import {isVariantPath, UnknownVariantError} from '../variants/registry.ts'
import {EXIT_INPUT} from './exit-codes.ts'
import {InputError} from '../core/input-error.ts'
import {runWatched} from './watch.ts'

/** The --timeout flag of the commands that run variants (watch.ts). */
export const timeoutFlag = Flags.integer({
  min: 1,
  default: 10,
  description: 'seconds a variant loaded from a file may run without the simulation making progress (a loop that never yields)',
})

/** The --max-memory flag of the commands that load traces (src/scenario/footprint.ts). */
export const maxMemoryFlag = Flags.integer({
  min: 1,
  default: DEFAULT_LIMITS.maxMemoryMb,
  description: 'MiB a trace may be estimated to need; a larger one is refused before it runs',
})

/** The limits a trace is loaded within, from the command's --max-memory. */
export function traceLimits(flags: {'max-memory': number}): TraceLimits {
  return {maxMemoryMb: flags['max-memory']}
}

/**
 * The base of every kreplay command: input errors (a malformed trace, an unknown variant,
 * a variant that breaks the kernel API's rules) print one clear line and exit 2, never a
 * stack trace.
 */
export abstract class KreplayCommand extends Command {
  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof TraceError || err instanceof UnknownVariantError || err instanceof InputError || err instanceof VariantError) {
      this.logToStderr(`kreplay: ${err.message}`)
      this.exit(EXIT_INPUT)
    }
    return super.catch(err)
  }

  /**
   * When any of `variants` is a user's file, runs this very command line in a watched
   * worker thread (watch.ts) and exits with its code; returns false when there is nothing
   * to watch (shipped variants only, or already in the watched thread), and the caller
   * goes on here.
   */
  protected async watchUserVariants(variants: readonly string[], timeoutS: number): Promise<boolean> {
    const files = variants.filter(isVariantPath)
    if (!isMainThread || files.length === 0) return false
    const code = await runWatched([this.id!, ...this.argv], timeoutS * 1000, files)
    if (code !== 0) this.exit(code)
    return true
  }
}
