import {plural} from '../core/plural.ts'
import type {Capture} from './read-capture.ts'
import type {BuiltTrace} from './trace-document.ts'

/** `a 3, b 1`, largest first, then by name. */
function tally(map: ReadonlyMap<string, number>): string {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')
}

/**
 * The lines an import prints on stderr: what it read and what it built, then every kind
 * of line it did not use (how many, of which event, and the line numbers of the first
 * malformed or unrecognised ones), then what it assumed.
 */
export function importSummary(file: string, capture: Capture, built: BuiltTrace): string[] {
  const doc = built.document as {tasks: unknown[]; irqs?: unknown[]}
  const out = [
    `imported ${file} (${capture.layout}): ${tally(capture.used)}; ${plural(doc.tasks.length, 'task')}, ${plural(doc.irqs?.length ?? 0, 'irq')}, module ${built.module} (${built.moduleReason}), rmmod ${built.rmmod}`,
  ]
  if (capture.skipped.size > 0) out.push(`skipped ${plural([...capture.skipped.values()].reduce((a, b) => a + b, 0), 'event line')} kreplay does not read: ${tally(capture.skipped)}`)
  if (capture.outsideWindow > 0) out.push(`skipped ${plural(capture.outsideWindow, 'event line')} outside --window`)
  if (capture.malformed.count > 0) {
    const listed = capture.malformed.first.map((m) => `line ${m.line}: ${m.reason}`).join('; ')
    out.push(`${plural(capture.malformed.count, 'malformed line')} skipped: ${listed}${capture.malformed.count > capture.malformed.first.length ? '; ...' : ''}`)
  }
  if (capture.unrecognised.count > 0) {
    const more = capture.unrecognised.count > capture.unrecognised.lines.length ? ', ...' : ''
    out.push(`${plural(capture.unrecognised.count, 'line')} not understood (neither a header nor an event line): line ${capture.unrecognised.lines.join(', ')}${more}`)
  }
  out.push(...built.notes)
  return out
}
