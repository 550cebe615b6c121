/**
 * `importFtrace`: a kernel trace capture (ftrace text, trace-cmd report, perf script) in,
 * a validated trace out, as YAML text and as the Scenario every command runs.
 */
import {createReadStream, existsSync} from 'node:fs'
import {basename} from 'node:path'
import type {Readable} from 'node:stream'
import {stringify} from 'yaml'
import {InputError} from '../core/input-error.ts'
import {plural} from '../core/plural.ts'
import {parseTrace} from '../scenario/load.ts'
import {TraceError} from '../scenario/trace-error.ts'
import {TRACE_NAME} from '../scenario/schema.ts'
import type {Scenario} from '../scenario/types.ts'
import type {ImportOptions} from './import-options.ts'
import {captureText} from './capture-text.ts'
import {readCapture, type Capture} from './read-capture.ts'
import {importSummary} from './import-summary.ts'
import {buildTraceDocument, type TraceDocument} from './trace-document.ts'

/** The events a capture needs at least one of. */
export const LOOKED_FOR = ['sched_switch', 'sched_wakeup', 'module_get', 'module_put'] as const

/** An imported capture. */
export interface ImportedTrace {
  /** The trace as plain data, keys in trace-format order. */
  readonly document: TraceDocument
  /** The same trace as YAML text (what `import ftrace -o` writes). */
  readonly yaml: string
  /** The trace loaded and validated exactly as a trace file is. */
  readonly scenario: Scenario
  /** What was read and what was not, one line each, for stderr. */
  readonly summary: readonly string[]
}

/** A trace name from a capture's file name: `nvme-rt.txt` (or `nvme-rt.txt.gz`) → `nvme-rt`. */
function nameFrom(file: string): string {
  const stem = basename(file).replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
  return TRACE_NAME.test(stem) ? stem : 'ftrace-capture'
}

/**
 * Import a capture: `source` is a file path, `-` for standard input, or a readable stream
 * (then `label` names it), as text in UTF-8 or UTF-16, or gzip-compressed (capture-text.ts).
 * Reads line by line. Throws an InputError (exit 2) for a file
 * that cannot be read, a capture with no task or module events, or options the capture
 * contradicts; never for a line it does not understand (those are counted in `summary`).
 * The result is deterministic: the same capture and options give the same trace.
 */
export async function importFtrace(source: string | Readable, options: ImportOptions = {}, label?: string): Promise<ImportedTrace> {
  const file = label ?? (typeof source === 'string' ? (source === '-' ? '<stdin>' : source) : '<stream>')
  let input: Readable
  if (typeof source !== 'string') input = source
  else if (source === '-') input = process.stdin
  else if (!existsSync(source)) throw new InputError(`no capture file "${source}"`)
  else input = createReadStream(source)

  let capture: Capture
  try {
    capture = await readCapture(captureText(input, file), options.window)
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const found = LOOKED_FOR.some((e) => (capture.used.get(e) ?? 0) > 0) || (capture.used.get('sched_waking') ?? 0) > 0
  if (!found || capture.first === null) {
    const outside = capture.outsideWindow > 0 ? `, ${capture.outsideWindow} event lines outside --window` : ''
    throw new InputError(
      `${file}: no task or module events: looked for ${LOOKED_FOR.join(', ')} (sched: and module: tracepoints) in ${plural(capture.lines, 'line')}${outside}; see docs/import.md for how to record them`,
    )
  }

  let built
  try {
    built = buildTraceDocument(capture, {name: options.name ?? nameFrom(file), file, options})
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const yaml = stringify(built.document, {lineWidth: 0})
  let scenario: Scenario
  try {
    scenario = parseTrace(yaml, file)
  } catch (error) {
    // Its line and column are the generated trace's, not the capture's: name the field alone.
    if (!(error instanceof TraceError)) throw error
    throw new InputError(`${file}: the trace it imports to is not valid: ${error.path === '' ? '' : `${error.path}: `}${error.reason}`)
  }
  return {document: built.document, yaml, scenario, summary: importSummary(file, capture, built)}
}
