import type {LogLine} from '../engine/engine.ts'
import type {Finding} from '../core/result.ts'
import {findingEvent} from './finding-event.ts'
import {formatTime} from './units.ts'

/**
 * The event log, one line per event: time, CPU, task, what happened. Each finding is an
 * event too, at its time, CPU and task (`!! use-after-free: read state of module dummy
 * ...`), after the events of the same instant: the access that raced is on the page.
 */
export function renderLog(lines: readonly LogLine[], findings: readonly Finding[] = []): string {
  const line = (t: number, cpuNo: number | null, task: string, what: string) => {
    const cpu = cpuNo === null || cpuNo < 0 ? '   -' : `cpu${String(cpuNo).padEnd(1)}`
    return `${formatTime(t)}  ${cpu.padEnd(6)} ${task.padEnd(16)} ${what}\n`
  }
  const pending = [...findings].sort((a, b) => a.at - b.at)
  let next = 0
  let out = ''
  for (const l of lines) {
    for (; next < pending.length && pending[next].at < l.t; next++) out += line(pending[next].at, pending[next].cpu, pending[next].task ?? '-', findingEvent(pending[next]))
    out += line(l.t, l.cpu, l.task, l.what)
  }
  for (; next < pending.length; next++) out += line(pending[next].at, pending[next].cpu, pending[next].task ?? '-', findingEvent(pending[next]))
  return out
}
