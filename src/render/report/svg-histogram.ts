/**
 * Latency histograms as SVG: one panel per latency kind, one row of bars per variant on a
 * shared x axis, logarithmic when the samples span more than a decade and a half. Bins
 * come from d3-array's `bin`, ticks from d3-scale.
 */
import {bin, max} from 'd3-array'
import {scaleLinear, scaleLog} from 'd3-scale'
import {axisX, esc, px, variantColour} from './svg.ts'
import {tickText} from './svg-timeline.ts'

/** One variant's samples, ns. */
export interface HistogramSeries {
  readonly variant: string
  /** Its index among the report's variants (for its colour). */
  readonly index: number
  readonly values: readonly number[]
}

/** The bins of a panel. */
const BINS = 24

/** A panel: `title`, one row per series (rows without samples say so). */
export function renderHistogramSvg(title: string, series: readonly HistogramSeries[], width: number, label: number): string {
  const all = series.flatMap((s) => s.values.filter((v) => v > 0))
  const lo = all.length ? Math.min(...all) : 1
  const hi = all.length ? Math.max(...all) : 10
  const log = hi / lo > 30
  const x = log ? scaleLog().domain([lo, hi * 1.0001]).range([label, label + width]).nice() : scaleLinear().domain([0, hi]).range([label, label + width]).nice()
  const [d0, d1] = x.domain()
  const thresholds = log
    ? Array.from({length: BINS - 1}, (_, i) => Math.exp(Math.log(d0) + ((Math.log(d1) - Math.log(d0)) * (i + 1)) / BINS))
    : Array.from({length: BINS - 1}, (_, i) => d0 + ((d1 - d0) * (i + 1)) / BINS)
  const binner = bin<number, number>().domain([d0, d1]).thresholds(thresholds)
  const row = 34
  const top = 20
  const height = top + series.length * (row + 6) + 22
  const parts = [`<svg class="histogram" width="${px(label + width + 12)}" height="${px(height)}" viewBox="0 0 ${px(label + width + 12)} ${px(height)}" role="img" aria-label="${esc(title)}">`]
  parts.push(`<text x="${px(label)}" y="13" class="panel-title">${esc(title)}${log ? ' (log scale)' : ''}</text>`)
  series.forEach((s, i) => {
    const y = top + i * (row + 6)
    parts.push(`<text x="${px(label - 6)}" y="${px(y + row / 2)}" dy="0.32em" text-anchor="end" class="cpu">${esc(s.variant)}</text>`)
    parts.push(`<line x1="${px(label)}" x2="${px(label + width)}" y1="${px(y + row)}" y2="${px(y + row)}" stroke="#ccc"/>`)
    const values = s.values.filter((v) => (log ? v > 0 : v >= 0))
    if (values.length === 0) {
      parts.push(`<text x="${px(label + 4)}" y="${px(y + row / 2)}" dy="0.32em" class="none">no samples</text>`)
      return
    }
    const bins = binner(values)
    const top1 = max(bins, (b) => b.length) ?? 1
    const yh = scaleLinear().domain([0, top1]).range([0, row - 2])
    for (const b of bins) {
      if (b.length === 0 || b.x0 === undefined || b.x1 === undefined) continue
      const bx0 = x(b.x0)
      const bw = Math.max(1, x(b.x1) - bx0 - 1)
      const bh = Math.max(1, yh(b.length))
      parts.push(
        `<rect x="${px(bx0)}" y="${px(y + row - bh)}" width="${px(bw)}" height="${px(bh)}" fill="${variantColour(s.index)}" data-tip="${esc(`${s.variant}: ${b.length} of ${values.length} between ${tickText(b.x0)} and ${tickText(b.x1)}`)}"/>`,
      )
    }
    parts.push(`<text x="${px(label + width + 4)}" y="${px(y + 8)}" class="tick">${top1}</text>`)
  })
  parts.push(axisX(x, height - 20, tickText, log ? 6 : 6))
  parts.push('</svg>')
  return parts.join('')
}
