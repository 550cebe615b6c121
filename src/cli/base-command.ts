import {Command} from '@oclif/core'
import {VariantError} from '../engine/variant-error.ts'
import {TraceError} from '../scenario/trace-error.ts'
import {UnknownVariantError} from '../variants/registry.ts'
import {InputError} from './input-error.ts'

/** Exit codes: 0 success, 1 a failed check, 2 a usage or input error. */
export const EXIT_FAILED = 1
export const EXIT_INPUT = 2

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
}
