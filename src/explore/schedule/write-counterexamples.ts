import {join} from 'node:path'
import {InputError} from '../../core/input-error.ts'
import {writeFileAtomic} from '../../core/write-file-atomic.ts'
import type {ScheduleFile} from './schedule-file.ts'

/** A counterexample as the report names it: where it was written and the command that replays it. */
export interface ReportedCounterexample {
  readonly file: ScheduleFile
  /** Where it was written; null when it was not (no directory, or `unwritten`). */
  readonly path: string | null
  readonly replay: string
  /** Why it could not be written (the file exists, the directory is not writable), or null. */
  readonly unwritten: string | null
}

/**
 * The text of a schedule file: JSON, two-space indented, keys in the ScheduleFile order,
 * the choice list on one line, and a trailing newline.
 */
export function scheduleJson(f: ScheduleFile): string {
  return JSON.stringify(f, null, 2) + '\n'
}

/** The file name a counterexample is written to: `<trace>.<variant>.<kind>.schedule.json`. */
export function scheduleFileName(f: ScheduleFile): string {
  return `${f.trace}.${f.variant}.${f.finding.kind}.schedule.json`
}

/** Quotes an argument for a POSIX shell when it needs it. */
function shellArg(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`
}

/** The command that replays a schedule file. */
export function replayCommand(trace: string, variant: string, path: string): string {
  return `kreplay run ${shellArg(trace)} --variant ${shellArg(variant)} --schedule ${shellArg(path)}`
}

/**
 * Writes each counterexample into `dir` (when not null), atomically, and says how to
 * replay it; `trace` and `variant` are the arguments as the user gave them. One that
 * cannot be written (an existing schedule file without `force`, a directory it cannot
 * write) is reported `unwritten` with the reason, and the others are still written: the
 * search that found them is not lost.
 */
export function writeCounterexamples(files: readonly ScheduleFile[], dir: string | null, trace: string, variant: string, force: boolean): ReportedCounterexample[] {
  return files.map((file) => {
    const path = dir === null ? null : join(dir, scheduleFileName(file))
    const replay = replayCommand(trace, variant, path ?? scheduleFileName(file))
    if (path === null) return {file, path, replay, unwritten: null}
    try {
      writeFileAtomic(path, scheduleJson(file), force)
      return {file, path, replay, unwritten: null}
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      return {file, path: null, replay, unwritten: error.message}
    }
  })
}
