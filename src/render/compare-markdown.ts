/**
 * The comparison as GitHub-flavoured Markdown: a section per trace with a table of one row
 * per variant, then the summary matrix and its legend. No width limit: metrics over several
 * seeds read `median / max` in one cell; findings are separated by `<br>`.
 */
import type {Comparison} from '../compare/compare.ts'
import {verdict, verdictLegend, verdictText} from '../compare/verdict.ts'
import {COMPARE_METRICS, columnKey, findingTexts, searchNotes, searchOnlyKinds, seedsText, spreadText} from './compare-cells.ts'

/** Render a comparison as Markdown. Deterministic; ends with a newline. */
export function renderCompareMarkdown(c: Comparison): string {
  const out: string[] = []
  for (const row of c.traces) {
    const several = row.seeds.length > 1
    out.push(`### ${escape(row.trace)}`, '')
    out.push(`${escape(row.title).replace(/[<>]/g, (ch) => `\\${ch}`)} (${row.cpus} CPUs, ${seedsText(row.seeds)}${several ? '; metrics: median / max' : ''})`, '')
    out.push(
      ...table(
        ['variant', 'findings', ...COMPARE_METRICS.map(([, h]) => h)],
        row.cells.map((cell) => [
          cell.variant,
          findingTexts(cell.aggregate, searchOnlyKinds(cell)).join('<br>') || 'none',
          ...COMPARE_METRICS.map(([name]) => spreadText(cell.aggregate, name)),
        ]),
        [false, false, ...COMPARE_METRICS.map(() => true)],
      ),
      '',
    )
    const notes = searchNotes(row)
    if (notes.length) out.push(escape(notes[0]), '', ...notes.slice(1).map((l) => `    ${l}`), '')
  }
  const verdicts = c.traces.map((row) => row.cells.map((cell) => verdict(cell.aggregate, cell.searched)))
  out.push('### summary', '')
  out.push(...table(['trace', ...c.variants], c.traces.map((t, i) => [t.trace, ...verdicts[i].map(verdictText)]), [false, ...c.variants.map(() => false)]))
  out.push('', verdictLegend(verdicts.flat()).join(' · '), '', `Columns: ${columnKey().join(' · ')}`)
  return out.join('\n') + '\n'
}

/** A GFM table; `right[i]` aligns column i to the right. */
function table(head: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`
  return [line(head), `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`, ...rows.map(line)]
}

/** Escape what Markdown would read as table syntax or emphasis (keeps `<br>`; a trace's title escapes `<` and `>` too, since it is the user's text). */
function escape(text: string): string {
  return text.replace(/[|*_`\\]/g, (ch) => `\\${ch}`)
}
