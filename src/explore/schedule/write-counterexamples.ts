import {join} from 'node:path'
import {writeFileAtomic} from '../../core/write-file-atomic.ts'
import type {ScheduleFile} from './schedule-file.ts'

/** A counterexample as the report names it: where it was written and the command that replays it. */
export interface ReportedCounterexample {
  readonly file: ScheduleFile
  readonly path: string | null
  readonly replay: string
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
 * replay it; `trace` and `variant` are the arguments as the user gave them. An existing
 * schedule file is an InputError unless `force`.
 */
export function writeCounterexamples(files: readonly ScheduleFile[], dir: string | null, trace: string, variant: string, force: boolean): ReportedCounterexample[] {
  return files.map((file) => {
    const path = dir === null ? null : join(dir, scheduleFileName(file))
    if (path !== null) writeFileAtomic(path, scheduleJson(file), force)
    return {file, path, replay: replayCommand(trace, variant, path ?? scheduleFileName(file))}
  })
}
