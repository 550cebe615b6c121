/**
 * The little SVG and HTML the report's pictures are made of: escaping, fixed-precision
 * numbers (so the same picture is the same bytes), a palette, and an axis drawn from a
 * d3 scale's ticks.
 */
import type {ScaleContinuousNumeric} from 'd3-scale'

/** Escapes text for HTML and SVG content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[ch]!)
}

/** A coordinate with at most two decimals, no trailing zeros. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100)
}

/** Colours of the variants, in the order given (Tableau 10, colour-blind friendlier than d3's default). */
const VARIANT_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac', '#e15759']

/** The colour of the i-th variant. */
export function variantColour(i: number): string {
  return VARIANT_COLOURS[i % VARIANT_COLOURS.length]
}

/** Soft colours for the tasks of the trace, told apart by name. */
const TASK_COLOURS = ['#a0c4e8', '#b9dfa9', '#d4c1e6', '#f5d3a4', '#a8dcd6', '#e8e0a0', '#d9c2b1', '#c9d3df']

/** The colour of a task, stable across runs: by its name without the `/N` instance suffix. */
export function taskColour(name: string): string {
  const base = name.replace(/\/\d+$/, '')
  let h = 0
  for (let i = 0; i < base.length; i++) h = (h * 31 + base.charCodeAt(i)) >>> 0
  return TASK_COLOURS[h % TASK_COLOURS.length]
}

/** The colours of what is not a task run. */
export const COLOURS = {
  stop: '#d1495b',
  irq: '#3d3d3d',
  pending: '#f0a202',
  delay: '#7b2cbf',
  busyWait: '#8c1c13',
  finding: '#c1121f',
  grid: '#e6e6e6',
  axis: '#777777',
  focus: 'rgba(33,102,172,0.14)',
} as const

/** A horizontal axis: a baseline, ticks and their labels, at `y`, labels below (or above). */
export function axisX(scale: ScaleContinuousNumeric<number, number>, y: number, format: (v: number) => string, count: number, above = false): string {
  const [r0, r1] = scale.range()
  const ticks = scale.ticks(count)
  const parts = [`<line x1="${px(r0)}" x2="${px(r1)}" y1="${px(y)}" y2="${px(y)}" stroke="${COLOURS.axis}"/>`]
  // Log scales tick every digit: label only ticks far enough apart to read.
  let labelled = -Infinity
  for (const t of ticks) {
    const x = px(scale(t))
    parts.push(`<line x1="${x}" x2="${x}" y1="${px(y)}" y2="${px(above ? y - 4 : y + 4)}" stroke="${COLOURS.axis}"/>`)
    if (scale(t) - labelled < 56) continue
    labelled = scale(t)
    parts.push(`<text x="${x}" y="${px(above ? y - 7 : y + 15)}" text-anchor="middle" class="tick">${esc(format(t))}</text>`)
  }
  return parts.join('')
}

/** A vertical axis at `x`, labels to the left; at `ticks` when given (a symlog scale's decades), else the scale's. */
export function axisY(scale: ScaleContinuousNumeric<number, number>, x: number, format: (v: number) => string, count: number, ticks?: readonly number[]): string {
  const [r0, r1] = scale.range()
  const parts = [`<line x1="${px(x)}" x2="${px(x)}" y1="${px(r0)}" y2="${px(r1)}" stroke="${COLOURS.axis}"/>`]
  for (const t of ticks ?? scale.ticks(count)) {
    const y = px(scale(t))
    parts.push(`<line x1="${px(x - 4)}" x2="${px(x)}" y1="${y}" y2="${y}" stroke="${COLOURS.axis}"/>`)
    parts.push(`<text x="${px(x - 6)}" y="${y}" dy="0.32em" text-anchor="end" class="tick">${esc(format(t))}</text>`)
  }
  return parts.join('')
}

/** Vertical grid lines at a scale's ticks, from `y0` to `y1`. */
export function gridX(scale: ScaleContinuousNumeric<number, number>, y0: number, y1: number, count: number): string {
  return scale
    .ticks(count)
    .map((t) => `<line x1="${px(scale(t))}" x2="${px(scale(t))}" y1="${px(y0)}" y2="${px(y1)}" stroke="${COLOURS.grid}"/>`)
    .join('')
}
