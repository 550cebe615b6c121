import {PassThrough} from 'node:stream'
import {importFtrace, type ImportedTrace} from '../import/import-ftrace.ts'
import type {ImportOptions} from '../import/import-options.ts'
import {interruptible} from './interrupt.ts'

/**
 * Imports the capture on standard input. A live one (`< /sys/kernel/tracing/trace_pipe`)
 * ends when the user says so: once the first data has come (which it says on stderr), the
 * first Ctrl-C or SIGTERM ends the capture where it is, and what was read is imported as a
 * whole capture would be (a second quits at once; before any data, the first does).
 */
export async function importStdin(options: ImportOptions): Promise<ImportedTrace> {
  const capture = new PassThrough()
  process.stdin.pipe(capture)
  let dispose = (): void => undefined
  process.stdin.once('data', () => {
    const interrupt = interruptible((line) => process.stderr.write(`kreplay: ${line}\n`))
    interrupt.signal.addEventListener('abort', () => {
      process.stdin.unpipe(capture)
      process.stdin.destroy()
      capture.end()
    })
    dispose = interrupt.dispose
    // Once Ctrl-C is caught: the line tells a user (and a test) that it may be pressed now.
    process.stderr.write('kreplay: reading the capture on standard input; Ctrl-C ends it where it is\n')
  })
  try {
    return await importFtrace(capture, options, '<stdin>')
  } finally {
    dispose()
  }
}
