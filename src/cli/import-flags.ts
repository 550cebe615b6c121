import {Flags} from '@oclif/core'
import {InputError} from '../core/input-error.ts'
import {parseCapturePoint, parseWindow, type ImportOptions} from '../import/import-options.ts'
import {quote} from '../scenario/quote.ts'
import {MODULE_NAME} from '../scenario/schema.ts'

/** The flags of `import ftrace` that shape the trace (also what `--ftrace` on run and compare honours). */
export const importOptionFlags = {
  module: Flags.string({description: 'the module to model (default: the one with the most module_get events)'}),
  'rmmod-at': Flags.string({description: 'when to inject an rmmod if the capture frees no module: an offset (2ms) or a capture timestamp (46.25); default halfway'}),
  cpus: Flags.integer({min: 1, max: 4096, description: "the machine's CPUs (default: the capture's #P: or cpus= header, else the CPUs seen)"}),
  'refcnt-base': Flags.string({options: ['0', '1'], description: 'the refcnt= a module with no users prints: 1 on 3.19+ (default), 0 for a count without the base reference'}),
  window: Flags.string({description: 'only events in FROM..TO: capture timestamps (45.7..46.3) or offsets (1ms..5ms); either side may be empty'}),
}

/** ImportOptions from parsed `importOptionFlags`. Throws an InputError for a malformed value. */
export function importOptionsFrom(flags: {module?: string; 'rmmod-at'?: string; cpus?: number; 'refcnt-base'?: string; window?: string}): ImportOptions {
  if (flags.module !== undefined && !MODULE_NAME.test(flags.module)) throw new InputError(`--module: expected a module name (letters, digits, _ and -), got ${quote(flags.module)}`)
  return {
    module: flags.module,
    rmmodAt: flags['rmmod-at'] === undefined ? undefined : parseCapturePoint(flags['rmmod-at'], '--rmmod-at'),
    cpus: flags.cpus,
    refcntBase: flags['refcnt-base'] === undefined ? undefined : flags['refcnt-base'] === '0' ? 0 : 1,
    window: flags.window === undefined ? undefined : parseWindow(flags.window),
  }
}
