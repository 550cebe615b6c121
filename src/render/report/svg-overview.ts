/**
 * The overview strip above a trace's timelines: the whole run of every variant on one
 * time axis, a thin row each, showing when any CPU was held by the stop and where the
 * findings fell, with the zoomed window outlined.
 */
import {scaleLinear} from 'd3-scale'
import type {Timeline, Window} from '../../report/timeline.ts'
import {COLOURS, axisX, esc, px, variantColour} from './svg.ts'
import {tickText} from './svg-timeline.ts'

/** Draws the strip: one row per timeline over [0, the longest run]; `zoom` outlined. */
export function renderOverviewSvg(timelines: readonly Timeline[], zoom: Window, width: number, label: number): string {
  const end = Math.max(1, ...timelines.map((t) => t.end))
  const x = scaleLinear().domain([0, end]).range([label, label + width]).clamp(true)
  const row = 9
  const top = 22
  const height = top + timelines.length * (row + 3) + 4
  const parts = [`<svg class="overview" width="${px(label + width + 8)}" height="${px(height)}" viewBox="0 0 ${px(label + width + 8)} ${px(height)}" role="img" aria-label="the whole run of each variant">`]
  parts.push(axisX(x, top - 4, tickText, 8, true))
  timelines.forEach((tl, i) => {
    const y = top + i * (row + 3)
    parts.push(`<text x="${px(label - 6)}" y="${px(y + row / 2)}" dy="0.32em" text-anchor="end" class="cpu">${esc(tl.variant)}</text>`)
    parts.push(`<rect x="${px(label)}" y="${px(y)}" width="${px(Math.max(0.6, x(tl.end) - label))}" height="${row}" fill="${variantColour(i)}" opacity="0.18"/>`)
    // When any CPU was held by the stop: the union of the stop runs, merged per pixel.
    const spans = tl.lanes.flatMap((l) => l.runs.filter((s) => s.kind === 'stop')).sort((a, b) => a.start - b.start)
    let cur: {x0: number; x1: number} | null = null
    const flush = () => {
      if (cur !== null) parts.push(`<rect x="${px(cur.x0)}" y="${px(y)}" width="${px(cur.x1 - cur.x0)}" height="${row}" fill="${COLOURS.stop}"/>`)
    }
    for (const s of spans) {
      const x0 = x(s.start)
      const x1 = Math.max(x(s.end), x0 + 0.8)
      if (cur !== null && x0 <= cur.x1 + 0.5) cur.x1 = Math.max(cur.x1, x1)
      else {
        flush()
        cur = {x0, x1}
      }
    }
    flush()
    for (const f of tl.findings) parts.push(`<rect x="${px(x(f.at) - 1)}" y="${px(y - 1)}" width="2" height="${row + 2}" fill="${COLOURS.finding}" data-tip="${esc(`${tl.variant}: ${f.kind} at ${tickText(f.at)}`)}"/>`)
  })
  const zx0 = x(zoom.from)
  const zx1 = Math.max(x(zoom.to), zx0 + 2)
  parts.push(`<rect class="zoom" x="${px(zx0)}" y="${px(top - 2)}" width="${px(zx1 - zx0)}" height="${px(height - top)}" fill="${COLOURS.focus}" stroke="#2166ac" stroke-width="1" data-tip="${esc(`zoomed below: ${tickText(zoom.from)} to ${tickText(zoom.to)}`)}"/>`)
  parts.push('</svg>')
  return parts.join('')
}
