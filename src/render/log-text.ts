import type {LogLine} from '../engine/engine.ts'
import {formatTime} from './units.ts'

/** The event log, one line per event: time, CPU, task, what happened. */
export function renderLog(lines: readonly LogLine[]): string {
  let out = ''
  for (const l of lines) {
    const cpu = l.cpu < 0 ? '   -' : `cpu${String(l.cpu).padEnd(1)}`
    out += `${formatTime(l.t)}  ${cpu.padEnd(6)} ${l.task.padEnd(16)} ${l.what}\n`
  }
  return out
}
