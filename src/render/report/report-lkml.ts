/**
 * The report as the body of a mail to a kernel list: a `Subject:` line, a short summary
 * in prose, the comparison in fixed width, the shortest counterexample as CPU columns and
 * the commands that reproduce it all. At most 72 columns, printable ASCII, no tabs, no
 * Markdown.
 */
import {madeBy} from '../made-by.ts'
import {verdict, verdictLegend, verdictText, type Verdict} from '../../compare/verdict.ts'
import type {Comparison} from '../../compare/compare.ts'
import {choiceWeight, decodeChoices} from '../../explore/schedule/choice-list.ts'
import {searchBudgetText, type CounterexampleView, type ReportData} from '../../report/report-data.ts'
import {COMPARE_METRICS, findingTexts, spreadText} from '../compare-cells.ts'
import {wrapAtHyphens, wrapText} from '../wrap.ts'
import {ascii} from './ascii.ts'
import {renderCpuColumns} from './cpu-columns.ts'

/** The mail's width. */
export const LKML_WIDTH = 72

/** The metrics of a trace's table in the mail (the widest fit in 72 columns). */
const MAIL_METRICS = COMPARE_METRICS.filter(([name]) => name !== 'gets_failed' && name !== 'irqoff_max')

/** Render the mail. Deterministic; every line at most 72 columns of ASCII; ends with a newline. */
export function renderLkml(data: ReportData, reportCommand: string): string {
  const c = data.comparison
  const out: string[] = []
  const traces = data.traces.map((t) => t.name)
  // A header folds onto lines that start with a space (RFC 5322).
  const what = traces.length <= 3 ? list(traces) : `${traces.length} traces`
  out.push(...wrap(`Subject: [RFC] module removal: ${what} against ${c.variants.length} designs (kreplay)`, ' '), '')
  out.push(...paragraph(summary(c, data.counterexamples)), '')
  out.push(...paragraph('Each row below is one replay of the trace against a model of that design; findings are observed on the simulated machine, not declared by the model.'), '')
  for (const row of c.traces) {
    const several = row.seeds.length > 1
    out.push(...wrap(`${row.trace} (${row.cpus} CPUs${several ? `, ${row.seeds.length} seeds, median / max` : ''}): ${row.title}`), '')
    const head = ['variant', 'verdict', ...MAIL_METRICS.map(([, h]) => h)]
    const rows = row.cells.map((cell) => [cell.variant, verdictText(verdict(cell.aggregate)), ...MAIL_METRICS.map(([name]) => spreadText(cell.aggregate, name))])
    out.push(...fixedTable(head, rows, [false, false, ...MAIL_METRICS.map(() => true)]), '')
  }
  out.push(...matrixLines(c), '')
  const legend = verdictLegend(c.traces.flatMap((r) => r.cells.map((cell) => verdict(cell.aggregate))))
  out.push(...wrap(`${legend.join('; ')}. ${MAIL_METRICS.map(([name, h]) => `${h} = ${name}`).join(', ')}.`), '')
  const cx = shortest(data.counterexamples)
  if (cx !== null) out.push(...counterexample(cx), '')
  else if (data.explore !== null) out.push(...paragraph(`A schedule search (${data.explore.strategy}, ${searchBudgetText(data.explore)} per design) found no counterexample.`), '')
  out.push('To reproduce:', '')
  out.push(...command(reportCommand), ...command(data.compareCommand))
  for (const x of data.counterexamples) out.push(...command(x.replay))
  out.push('', ...wrap(`kreplay replays workload traces against step-by-step models of the kernel's module-removal designs; the traces and variants cite their sources. Made by ${madeBy()}.`))
  return out.map((l) => ascii(l).trimEnd()).join('\n') + '\n'
}

/** One sentence per verdict: which designs show what, and which show nothing. */
function summary(c: Comparison, searched: readonly CounterexampleView[]): string {
  const clean = new Set(c.variants)
  const s = [`I replayed ${c.traces.length === 1 ? 'one trace' : `${c.traces.length} traces`} against ${c.variants.length} module-removal designs.`]
  for (const row of c.traces) {
    const bad = row.cells.flatMap((cell) => {
      const texts = findingTexts(cell.aggregate)
      if (texts.length === 0) return []
      clean.delete(cell.variant)
      return [`${cell.variant} shows ${list(texts)}`]
    })
    if (bad.length) s.push(`On ${row.trace}, ${list(bad)}.`)
  }
  if (clean.size) s.push(`${list([...clean])} ${clean.size === 1 ? 'shows' : 'show'} no finding in a replay of ${c.traces.length === 1 ? 'it' : 'any of them'}.`)
  if (searched.length) s.push(`A search of their schedules finds ${list(searched.map((x) => `${x.file.finding.kind} in ${x.variant} on ${x.trace}`))}.`)
  return s.join(' ')
}

/**
 * The counterexample quickest to read: the fewest events up to its finding, then the
 * fewest choices; null when there is none.
 */
function shortest(xs: readonly CounterexampleView[]): CounterexampleView | null {
  const events = (x: CounterexampleView): number => {
    const at = x.file.finding.at
    return x.log.filter((l) => l.t <= at && l.what !== 'irq entry' && l.what !== 'irq exit').length
  }
  let best: CounterexampleView | null = null
  for (const x of xs) {
    if (best === null || events(x) < events(best) || (events(x) === events(best) && x.file.shrunk.to < best.file.shrunk.to)) best = x
  }
  return best
}

/** The counterexample: what it shows, its interleaving as CPU columns. */
function counterexample(x: CounterexampleView): string[] {
  const w = choiceWeight(decodeChoices(x.file.choices))
  const how = `${w.preemptions} ${x.file.mode === 'untimed' ? 'preemption' : 'reordering'}${w.preemptions === 1 ? '' : 's'} and ${w.delays} injected delay${w.delays === 1 ? '' : 's'}`
  const out = paragraph(
    `The shortest counterexample: ${x.variant} on ${x.trace}, found by a ${x.file.strategy} schedule search and shrunk to ${how}. ${x.file.finding.detail}:`,
  )
  out.push('', ...renderCpuColumns(x.log, x.result.findings, {cpus: x.timeline.cpus, width: LKML_WIDTH, untimed: x.timeline.untimed, before: 24, after: 3}))
  return out
}

/** The summary matrix in fixed width, or one line per trace when it is too wide. */
function matrixLines(c: Comparison): string[] {
  const verdicts: Verdict[][] = c.traces.map((row) => row.cells.map((cell) => verdict(cell.aggregate)))
  const heads = c.variants.map((id) => wrapAtHyphens(id, Math.max(...id.split('-').map((p) => p.length + 1))))
  const rows = c.traces.map((row, i) => [row.trace, ...verdicts[i].map(verdictText)])
  const depth = Math.max(...heads.map((h) => h.length))
  const headRows = Array.from({length: depth}, (_, k) => [k === depth - 1 ? 'trace' : '', ...heads.map((h) => h[k - (depth - h.length)] ?? '')])
  const lines = fixedTable(headRows, rows, rows[0].map(() => false), 1)
  if (lines.every((l) => l.length <= LKML_WIDTH)) return ['Summary (the most severe finding per trace and design):', '', ...lines]
  return ['Summary (the most severe finding per trace and design):', '', ...c.traces.flatMap((row, i) => wrap(`${row.trace}: ${c.variants.map((v, j) => `${v} ${verdictText(verdicts[i][j])}`).join(', ')}`, '  '))]
}

/**
 * A fixed-width table: header row(s), a rule, rows; `right[i]` aligns column i right.
 * Columns are `gap` spaces apart; by default two, or one when two would not fit in 72 columns.
 */
function fixedTable(head: readonly string[] | readonly (readonly string[])[], rows: readonly (readonly string[])[], right: readonly boolean[], gap?: number): string[] {
  const heads: readonly (readonly string[])[] = typeof head[0] === 'string' ? [head as readonly string[]] : (head as readonly (readonly string[])[])
  const cells = [...heads, ...rows].map((r) => r.map(ascii))
  const widths = right.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  const space = ' '.repeat(gap ?? (widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1) <= LKML_WIDTH ? 2 : 1))
  const line = (r: readonly string[]) => r.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(space).trimEnd()
  return [...cells.slice(0, heads.length).map(line), widths.map((w) => '-'.repeat(w)).join(space), ...cells.slice(heads.length).map(line)]
}

/** A command, indented two spaces, broken at spaces with `\` continuations to fit. */
function command(cmd: string): string[] {
  const words = ascii(cmd).split(' ')
  const lines: string[] = []
  let line = '  '
  for (const word of words) {
    const candidate = line.trim() === '' ? line + word : `${line} ${word}`
    if (candidate.length <= LKML_WIDTH - 2 || line.trim() === '') {
      line = candidate
      continue
    }
    lines.push(`${line} \\`)
    line = `    ${word}`
  }
  lines.push(line)
  // A word too long for any line: split it with a backslash-newline, which the shell joins.
  return lines.flatMap((l) => splitLong(l))
}

function splitLong(line: string): string[] {
  const out: string[] = []
  let rest = line
  while (rest.length > LKML_WIDTH) {
    out.push(`${rest.slice(0, LKML_WIDTH - 1)}\\`)
    rest = rest.slice(LKML_WIDTH - 1)
  }
  out.push(rest)
  return out
}

function wrap(text: string, indent = ''): string[] {
  return wrapText(ascii(text), LKML_WIDTH - indent.length).map((l, i) => (i === 0 ? l : indent + l))
}

function paragraph(text: string): string[] {
  return wrapText(ascii(text), LKML_WIDTH)
}

/** `a`, `a and b`, `a, b and c`. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
