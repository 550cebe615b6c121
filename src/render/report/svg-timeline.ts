/**
 * A run's per-CPU timeline as SVG (a Gantt chart): one lane per CPU over a time window,
 * task runs in soft colours, the stop's runs in red, interrupt handlers as a dark band at
 * the top of the lane, interrupts held pending (interrupts off) and injected delays as
 * marks along the bottom, findings as red ticks with a diamond. Every shape carries its
 * detail in `data-tip` for the page's hover box. Shapes narrower than a pixel merge with
 * their neighbours of the same colour, so a long run stays a small file.
 */
import {scaleLinear} from 'd3-scale'
import type {Timeline, Window} from '../../report/timeline.ts'
import {formatDuration} from '../../scenario/duration.ts'
import {COLOURS, esc, gridX, px, taskColour} from './svg.ts'

/** Where and how big a timeline is drawn. */
export interface TimelineLayout {
  /** The window of time the lanes show (shared by the variants of a trace). */
  readonly window: Window
  /** Plot width in px (the lanes), after the label column. */
  readonly width: number
  /** Width of the CPU-label column. */
  readonly label: number
}

/** A lane's height for a machine of `cpus` CPUs: 14 px for a few, a hairline for a thousand. */
export function laneHeight(cpus: number): number {
  return Math.max(0.35, Math.min(14, 320 / cpus))
}

/** A time for people: formatDuration, or `#n` steps of the untimed model. */
export function timeText(ns: number, untimed: boolean): string {
  return untimed ? `#${Math.round(ns)}` : formatDuration(ns)
}

/** An axis tick's text: `15 µs`, `1.5 ms` (formatDuration without trailing zeros). */
export function tickText(ns: number): string {
  return ns === 0 ? '0' : formatDuration(ns).replace(/(\.\d*?)0+ /, '$1 ').replace('. ', ' ')
}

interface Box {
  x0: number
  x1: number
  readonly fill: string
  tip: string
  more: number
}

/**
 * The SVG of one timeline: `<svg class="timeline">` with one `<g class="lane">` per CPU.
 * `id` names it for tests and links (`data-trace`, `data-variant`).
 */
export function renderTimelineSvg(tl: Timeline, layout: TimelineLayout, id: {trace: string; variant: string}): string {
  const h = laneHeight(tl.cpus)
  const gap = h >= 6 ? 2 : 0
  const top = 4
  const height = top + tl.cpus * (h + gap) + 6
  const x = scaleLinear().domain([layout.window.from, layout.window.to]).range([layout.label, layout.label + layout.width]).clamp(true)
  const t = (ns: number) => timeText(ns, tl.untimed)
  const labelEvery = h >= 8 ? 1 : Math.ceil(14 / h)
  const parts: string[] = [
    `<svg class="timeline" data-trace="${esc(id.trace)}" data-variant="${esc(id.variant)}" data-cpus="${tl.cpus}" width="${px(layout.label + layout.width + 8)}" height="${px(height)}" viewBox="0 0 ${px(layout.label + layout.width + 8)} ${px(height)}" role="img" aria-label="${esc(`${id.trace} × ${id.variant}: per-CPU timeline`)}">`,
    gridX(x, top, height - 6, 8),
  ]
  tl.lanes.forEach((lane, cpu) => {
    const y = top + cpu * (h + gap)
    const lp: string[] = [`<g class="lane" data-cpu="${cpu}">`]
    lp.push(`<rect x="${px(layout.label)}" y="${px(y)}" width="${px(layout.width)}" height="${px(h)}" fill="#f7f7f7"/>`)
    if (cpu % labelEvery === 0) lp.push(`<text x="${px(layout.label - 6)}" y="${px(y + h / 2)}" dy="0.32em" text-anchor="end" class="cpu">cpu${cpu}</text>`)
    const runs = boxes(
      lane.runs.map((s) => ({
        start: s.start,
        end: s.end,
        fill: s.kind === 'stop' ? COLOURS.stop : taskColour(s.name),
        tip: `cpu${cpu} · ${s.name}${s.kind === 'stop' ? ' (held by the stop)' : ''} · ${t(s.start)} → ${t(s.end)} (${t(s.end - s.start)})`,
      })),
      x,
      layout.window,
    )
    for (const b of runs) lp.push(rect(b, y, h))
    if (h >= 4) {
      const irqs = boxes(lane.irqs.map((s) => ({start: s.start, end: s.end, fill: COLOURS.irq, tip: `cpu${cpu} · ${s.name} handler · ${t(s.start)} (${t(s.end - s.start)})`})), x, layout.window)
      for (const b of irqs) lp.push(rect(b, y, Math.max(1.5, h * 0.28)))
      const marks = boxes(
        lane.marks.map((m) => ({start: m.start, end: m.end, fill: m.kind === 'pending' ? COLOURS.pending : m.kind === 'delay' ? COLOURS.delay : COLOURS.busyWait, tip: `cpu${cpu} · ${m.label} · ${t(m.start)} → ${t(m.end)}`})),
        x,
        layout.window,
      )
      for (const b of marks) lp.push(rect(b, y + h * 0.7, h * 0.3))
    }
    lp.push('</g>')
    parts.push(lp.join(''))
  })
  for (const f of tl.findings) {
    if (f.at < layout.window.from || f.at > layout.window.to) continue
    const fx = px(x(f.at))
    const cy = f.cpu === null ? top + 2 : top + f.cpu * (h + gap) + h / 2
    const tip = esc(`${f.kind} at ${t(f.at)}${f.cpu === null ? '' : ` on cpu${f.cpu}`}${f.task === null ? '' : ` (${f.task})`}: ${f.detail}`)
    const r = Math.max(4, Math.min(6, h / 2 + 1))
    parts.push(
      `<g class="finding" data-tip="${tip}"><line x1="${fx}" x2="${fx}" y1="${top}" y2="${px(height - 6)}" stroke="${COLOURS.finding}" stroke-width="1.5" stroke-dasharray="3 2"/><path d="M${fx} ${px(cy - r)}L${px(x(f.at) + r)} ${px(cy)}L${fx} ${px(cy + r)}L${px(x(f.at) - r)} ${px(cy)}Z" fill="${COLOURS.finding}" stroke="#fff"/></g>`,
    )
  }
  parts.push('</svg>')
  return parts.join('')
}

/**
 * Shapes in pixels, clipped to the window; a shape that starts within half a pixel of the
 * previous one's end and has its colour extends it (its tip counts the merged ones).
 */
function boxes(items: readonly {start: number; end: number; fill: string; tip: string}[], x: (v: number) => number, w: Window): Box[] {
  const out: Box[] = []
  for (const it of items) {
    if (it.end < w.from || it.start > w.to) continue
    const x0 = x(it.start)
    const x1 = Math.max(x(it.end), x0 + 0.6)
    const last = out.at(-1)
    if (last !== undefined && last.fill === it.fill && x0 - last.x1 < 0.5) {
      last.x1 = Math.max(last.x1, x1)
      last.more++
      continue
    }
    if (last !== undefined && x1 <= last.x1 && x0 >= last.x0) {
      last.more++
      continue
    }
    out.push({x0, x1, fill: it.fill, tip: it.tip, more: 0})
  }
  return out
}

function rect(b: Box, y: number, h: number): string {
  const tip = b.more ? `${b.tip} (+${b.more} more here)` : b.tip
  return `<rect x="${px(b.x0)}" y="${px(y)}" width="${px(b.x1 - b.x0)}" height="${px(h)}" fill="${b.fill}" data-tip="${esc(tip)}"/>`
}
