/**
 * The report as GitHub-flavoured Markdown: the comparison (the same cells as `compare`),
 * then per trace and variant its findings, each with its interleaving as per-CPU columns
 * in a fixed-width block and the command that replays it; the `--explore`
 * counterexamples; the provenance of every trace and variant last.
 */
import {madeBy} from '../made-by.ts'
import {searchBudgetText, type CounterexampleView, type ReportData, type RunView} from '../../report/report-data.ts'
import {formatDuration} from '../../scenario/duration.ts'
import {renderCompareMarkdown} from '../compare-markdown.ts'
import {renderCpuColumns} from './cpu-columns.ts'

/** The width of the interleaving blocks. */
const BLOCK_WIDTH = 100

/** Render report.md. Deterministic; ends with a newline. */
export function renderReportMarkdown(data: ReportData, reportCommand: string): string {
  const out: string[] = ['# kreplay report', '']
  out.push(`${data.traces.length === 1 ? 'One trace' : `${data.traces.length} traces`} against ${data.variants.length} module-removal designs. Regenerate with:`, '')
  out.push('```sh', reportCommand, '```', '', `Made by ${madeBy()}.`, '')
  out.push('## Comparison', '', renderCompareMarkdown(data.comparison).replace(/^### /gm, '### ').trimEnd(), '')
  out.push('## Findings', '')
  const found = data.runs.filter((r) => r.result.findings.length > 0)
  if (found.length === 0) out.push('No run showed a finding.', '')
  for (const r of found) out.push(...findingSection(r))
  if (data.explore !== null) {
    out.push('## Schedule search', '')
    out.push(`Each trace × variant searched with \`--strategy ${data.explore.strategy}\`, ${searchBudgetText(data.explore)}; each counterexample is shrunk and its schedule file written beside this report.`, '')
    for (const x of data.counterexamples) out.push(...counterexampleSection(x))
    if (data.clean.length) {
      out.push('No counterexample:', '')
      for (const c of data.clean) out.push(`- ${md(c.trace)} × ${md(c.variant)}: ${c.explored.toLocaleString('en-US')} schedules${c.complete ? ' (complete)' : ''}`)
      out.push('')
    }
  }
  out.push('## Provenance', '', '### Traces', '')
  for (const t of data.traces) {
    out.push(`- **${md(t.name)}** (\`${t.arg}\`, ${t.cpus} CPUs): ${md(t.title)}`)
    for (const s of t.source) out.push(`  - ${md(s)}`)
  }
  out.push('', '### Variants', '')
  for (const v of data.variants) {
    out.push(`- **${md(v.id)}**: ${md(v.title)}. ${md(v.authors.join(', '))}, ${md(v.date)}; kernels ${md(v.kernels)}.`)
    out.push(`  - fixed: ${md(v.fixed)}`, `  - broke: ${md(v.broke)}`)
    for (const s of v.sources) out.push(`  - ${md(s)}`)
  }
  return out.join('\n') + '\n'
}

/** A trace × variant's findings, the interleaving up to the first, and its replay command. */
function findingSection(r: RunView): string[] {
  const out = [`### ${md(r.trace)} × ${md(r.variant)} (seed ${r.result.seed})`, '']
  // The first finding of each kind, and how many more of it there were.
  for (const kind of [...new Set(r.result.findings.map((f) => f.kind))]) {
    const all = r.result.findings.filter((f) => f.kind === kind)
    const f = all[0]
    const where = [f.cpu !== null ? `CPU ${f.cpu}` : '', f.task ?? ''].filter(Boolean).join(', ')
    const more = all.length > 1 ? ` (the first of ${all.length})` : ''
    out.push(`- **${f.kind}** at ${formatDuration(f.at)}${where ? ` (${md(where)})` : ''}${more}: ${md(f.detail)}`)
  }
  out.push('', '```text', ...renderCpuColumns(r.excerpt, r.result.findings, {cpus: r.timeline.cpus, width: BLOCK_WIDTH, before: 30, after: 4}), '```', '')
  if (r.replay !== null) out.push('Replay:', '', '```sh', r.replay, '```', '')
  return out
}

/** An `--explore` counterexample: what it shows, its interleaving, its replay command. */
function counterexampleSection(x: CounterexampleView): string[] {
  const f = x.file.finding
  return [
    `### ${md(x.trace)} × ${md(x.variant)}: ${f.kind}`,
    '',
    `Schedule ${x.file.schedule.toLocaleString('en-US')} of a ${x.file.strategy} search (${x.file.mode} model), shrunk from ${x.file.shrunk.from} to ${x.file.shrunk.to} choices: ${md(f.detail)}.`,
    '',
    '```text',
    ...renderCpuColumns(x.log, x.result.findings, {cpus: x.timeline.cpus, width: BLOCK_WIDTH, untimed: x.timeline.untimed}),
    '```',
    '',
    'Replay:',
    '',
    '```sh',
    x.replay,
    '```',
    '',
  ]
}

/** Escapes what Markdown would read as emphasis, code or a table. */
function md(text: string): string {
  return text.replace(/[|*_`\\<>]/g, (ch) => `\\${ch}`)
}
