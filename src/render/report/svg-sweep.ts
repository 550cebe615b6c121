/**
 * `--cpus` as a line chart: a metric against the machine's CPU count, one line per
 * variant. The x axis is logarithmic (base 2) when the sizes span more than a factor of
 * eight; the y axis is symmetric-log (d3's scaleSymlog, which takes zeros) when the
 * values span more than two decades, else linear.
 */
import {scaleLinear, scaleLog, scaleSymlog} from 'd3-scale'
import type {Sweep} from '../../report/report-data.ts'
import {DURATION_METRICS} from '../../core/result.ts'
import {axisY, esc, px, variantColour} from './svg.ts'
import {tickText} from './svg-timeline.ts'

/** One chart of a sweep; `index` maps a variant id to its colour index. */
export function renderSweepSvg(s: Sweep, index: ReadonlyMap<string, number>, width: number, height: number): string {
  const left = 70
  const right = 150
  const top = 26
  const bottom = 34
  const sizes = s.lines[0]?.points.map((p) => p.cpus) ?? [1]
  const lo = Math.min(...sizes)
  const hi = Math.max(...sizes)
  const x = hi / lo > 8 ? scaleLog().base(2).domain([lo, hi]).range([left, width - right]) : scaleLinear().domain([lo, Math.max(hi, lo + 1)]).range([left, width - right])
  const values = s.lines.flatMap((l) => l.points.map((p) => p.value))
  const vmax = Math.max(1, ...values)
  const positive = values.filter((v) => v > 0)
  const wide = positive.length > 0 && vmax / Math.min(...positive) > 100
  const y = (wide ? scaleSymlog().constant(Math.min(...positive)) : scaleLinear()).domain([0, vmax]).range([height - bottom, top]).nice()
  const duration = DURATION_METRICS.has(s.metric)
  const fmt = (v: number) => (duration ? tickText(v) : String(Math.round(v)))
  const parts = [`<svg class="sweep" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${s.trace}: ${s.metric} against CPU count`)}">`]
  parts.push(`<text x="${left}" y="14" class="panel-title">${esc(s.metric)} against CPU count${wide ? ' (symlog scale)' : ''}</text>`)
  // A symlog scale's own ticks are linear: mark 0 and the decades instead.
  const decades = wide ? [0, ...Array.from({length: 20}, (_, k) => 10 ** k).filter((d) => d >= Math.min(...positive) && d <= y.domain()[1])] : undefined
  parts.push(axisY(y, left, fmt, 5, decades))
  const ticks = sizes.map((n) => `<line x1="${px(x(n))}" x2="${px(x(n))}" y1="${height - bottom}" y2="${height - bottom + 4}" stroke="#777"/><text x="${px(x(n))}" y="${height - bottom + 16}" text-anchor="middle" class="tick">${n}</text>`)
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#777"/>`, ...ticks)
  parts.push(`<text x="${px((left + width - right) / 2)}" y="${height - 4}" text-anchor="middle" class="tick">CPUs</text>`)
  s.lines.forEach((line, i) => {
    const colour = variantColour(index.get(line.variant) ?? i)
    const d = line.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(x(p.cpus))} ${px(y(p.value))}`).join('')
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`)
    for (const p of line.points) parts.push(`<circle cx="${px(x(p.cpus))}" cy="${px(y(p.value))}" r="3" fill="${colour}" data-tip="${esc(`${line.variant} at ${p.cpus} CPUs: ${fmt(p.value)}`)}"/>`)
    parts.push(`<rect x="${width - right + 12}" y="${top + i * 16}" width="10" height="10" fill="${colour}"/><text x="${width - right + 26}" y="${top + i * 16 + 9}" class="tick">${esc(line.variant)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('')
}
