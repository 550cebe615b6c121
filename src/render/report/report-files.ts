/**
 * The files of a report directory, rendered from ReportData and written atomically:
 * report.md, report.html, lkml.txt and trace.json (the schedule files of `--explore` are
 * written while the report is built, since they are replayed from there).
 */
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {renderReportHtml} from './report-html.ts'
import {renderLkml} from './report-lkml.ts'
import {renderReportMarkdown} from './report-md.ts'
import {traceEvents, traceEventsJson, type TraceProcess} from './trace-events.ts'
import {formatDuration} from '../../scenario/duration.ts'
import type {ReportData} from '../../report/report-data.ts'
import {writeFileAtomic} from '../../core/write-file-atomic.ts'

/** A file the report wrote: its path and size. */
export interface WrittenFile {
  readonly path: string
  readonly bytes: number
}

/** The report's own files, in the order they are written. */
export const REPORT_FILES = ['report.md', 'report.html', 'lkml.txt', 'trace.json'] as const

/**
 * Render and write the report into `dir`; `command` is the command line that regenerates
 * it, quoted in the files. A report file already there is replaced only with `force`
 * (else an InputError: another report may have been written there meanwhile). Returns
 * every file of the report, schedule files included, in a fixed order.
 */
export function writeReport(data: ReportData, dir: string, command: string, force: boolean): WrittenFile[] {
  const texts: Record<(typeof REPORT_FILES)[number], () => string> = {
    'report.md': () => renderReportMarkdown(data, command),
    'report.html': () => renderReportHtml(data, command),
    'lkml.txt': () => renderLkml(data, command),
    'trace.json': () => traceEventsJson(traceEvents(perfettoProcesses(data))),
  }
  const written: WrittenFile[] = []
  for (const name of REPORT_FILES) {
    const path = join(dir, name)
    const text = texts[name]()
    writeFileAtomic(path, text, force)
    written.push({path, bytes: Buffer.byteLength(text)})
  }
  for (const x of data.counterexamples) written.push({path: x.path, bytes: statSync(x.path).size})
  return written
}

/** A run with more slices and counter points than this goes into trace.json with its focus window only. */
const PERFETTO_EVENTS = 20_000

/**
 * The processes of trace.json: each trace × variant's run (a long one clipped to the
 * window its timeline zooms onto, said in its name), then each counterexample.
 */
function perfettoProcesses(data: ReportData): TraceProcess[] {
  return [
    ...data.runs.map((r) => {
      const tl = r.timeline
      const events = tl.lanes.reduce((n, l) => n + l.runs.length + l.irqs.length + l.marks.length, 0) + tl.counters.reduce((n, c) => n + c.points.length, 0)
      const name = `${r.trace} × ${r.variant} (seed ${r.result.seed})`
      if (events <= PERFETTO_EVENTS) return {name, timeline: tl}
      const w = tl.focus
      return {name: `${name}, ${formatDuration(w.from)} to ${formatDuration(w.to)}`, timeline: tl, window: w}
    }),
    ...data.counterexamples.map((x) => ({name: `${x.trace} × ${x.variant}: ${x.file.finding.kind} counterexample`, timeline: x.timeline})),
  ]
}
