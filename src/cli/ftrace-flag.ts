import {Flags} from '@oclif/core'
import {importFtrace} from '../import/import-ftrace.ts'
import type {Scenario} from '../scenario/types.ts'

/** `--ftrace <capture>` on run and compare: import a kernel capture on the fly and run it as a trace. */
export const ftraceFlag = Flags.string({
  description: 'a kernel trace capture (ftrace text, trace-cmd report or perf script, plain or gzip-compressed; - for standard input) to import and run as a trace; see kreplay import ftrace',
})

/**
 * Import `capture` with default options into a Scenario, writing the import's summary to
 * the command's stderr line by line. Throws the importer's InputError.
 */
export async function ftraceScenario(capture: string, command: {logToStderr(line: string): void}): Promise<Scenario> {
  const imported = await importFtrace(capture)
  for (const line of imported.summary) command.logToStderr(`kreplay: ${line}`)
  return imported.scenario
}
