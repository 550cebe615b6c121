/**
 * The report as one self-contained HTML page (inline CSS, inline SVG, a few lines of
 * inline script for the hover box; nothing loaded from anywhere): the summary matrix in
 * colour; the `--explore` counterexamples as timelines; per trace the variants' per-CPU
 * timelines stacked on one time axis under an overview strip of the whole run, and their
 * latency histograms; the `--cpus` lines; the provenance of every trace and variant.
 */
import {madeBy} from '../made-by.ts'
import {scaleLinear} from 'd3-scale'
import {BUDGET, OK, VERDICT_WORDS, verdict, verdictLegend, verdictText} from '../../compare/verdict.ts'
import type {TraceRow} from '../../compare/compare.ts'
import {searchBudgetText, type ReportData, type RunView} from '../../report/report-data.ts'
import type {Window} from '../../report/timeline.ts'
import {COMPARE_METRICS, findingTexts, spreadText} from '../compare-cells.ts'
import {renderCpuColumns} from './cpu-columns.ts'
import {renderHistogramSvg, type HistogramSeries} from './svg-histogram.ts'
import {renderOverviewSvg} from './svg-overview.ts'
import {renderSweepSvg} from './svg-sweep.ts'
import {renderTimelineSvg, tickText} from './svg-timeline.ts'
import {axisX, COLOURS, esc, px, taskColour} from './svg.ts'

/** Plot width of the timelines, and of their label column. */
const PLOT = 900
const LABEL = 64

/** Render report.html. Deterministic; ends with a newline. */
export function renderReportHtml(data: ReportData, reportCommand: string): string {
  const index = new Map(data.comparison.variants.map((v, i) => [v, i]))
  const body: string[] = []
  body.push(`<header><h1>kreplay report</h1><p>${esc(`${data.traces.length === 1 ? 'One trace' : `${data.traces.length} traces`} against ${data.variants.length} module-removal designs`)}. Regenerate with <code>${esc(reportCommand)}</code>. Made by ${esc(madeBy())}.</p></header>`)
  body.push(`<section id="summary"><h2>Summary</h2>${matrix(data)}</section>`)
  if (data.explore !== null) body.push(exploreSection(data))
  for (const row of data.comparison.traces) body.push(traceSection(row, data, index))
  if (data.sweeps.length) {
    body.push(`<section id="cpus"><h2>Against CPU count</h2>`)
    for (const trace of [...new Set(data.sweeps.map((s) => s.trace))]) {
      const charts = data.sweeps.filter((s) => s.trace === trace).map((s) => renderSweepSvg(s, index, 520, 250))
      body.push(`<figure><figcaption>${esc(trace)}</figcaption><div class="hists">${charts.join('')}</div></figure>`)
    }
    body.push('</section>')
  }
  body.push(provenance(data))
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kreplay report: ${esc(data.traces.map((t) => t.name).join(', '))}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<div id="tip" hidden></div>
<script>${SCRIPT}</script>
</body>
</html>
`
}

/** The summary matrix: a cell per trace × variant, coloured by its verdict. */
function matrix(data: ReportData): string {
  const c = data.comparison
  const verdicts = c.traces.map((r) => r.cells.map((cell) => verdict(cell.aggregate)))
  const head = `<tr><th>trace</th>${c.variants.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>`
  const rows = c.traces.map((r, i) => {
    const cells = r.cells.map((cell, j) => {
      const v = verdicts[i][j]
      const found = data.counterexamples.find((x) => x.trace === r.trace && x.variant === cell.variant)
      const cls = v.word === OK && found === undefined ? 'ok' : v.word === BUDGET ? 'budget' : 'bad'
      const tip = `${findingTexts(cell.aggregate).join(', ') || 'no finding'}${found === undefined ? '' : `; a schedule search finds ${found.file.finding.kind}`}`
      const search = found === undefined ? '' : `<a class="search" href="#${anchor(`${found.trace}-${found.variant}-cx`)}">search: ${esc(shortWord(found.file.finding.kind))}</a>`
      return `<td class="${cls}" data-tip="${esc(`${r.trace} × ${cell.variant}: ${tip}`)}"><a href="#${anchor(r.trace)}">${esc(verdictText(v))}</a>${search}</td>`
    })
    return `<tr><th><a href="#${anchor(r.trace)}">${esc(r.trace)}</a></th>${cells.join('')}</tr>`
  })
  const searched = data.counterexamples.length ? ' · search: what a schedule search (--explore) found' : ''
  return `<table class="matrix">${head}${rows.join('')}</table><p class="legend">${esc(verdictLegend(verdicts.flat()).join(' · ') + searched)}</p>`
}

/** A trace: its table, overview, timelines on one axis, histograms. */
function traceSection(row: TraceRow, data: ReportData, index: ReadonlyMap<string, number>): string {
  const views = data.runs.filter((r) => r.trace === row.trace)
  const out = [`<section class="trace" id="${anchor(row.trace)}"><h2>${esc(row.trace)}</h2><p class="title">${esc(row.title)} <span class="dim">(${row.cpus} CPUs)</span></p>`]
  out.push(traceTable(row))
  if (views.length) {
    const zoom = union(views.map((v) => v.timeline.focus))
    out.push(`<h3>Per-CPU timelines <span class="dim">${esc(`${tickText(zoom.from)} to ${tickText(zoom.to)}`)}</span></h3>`)
    out.push(LEGEND)
    out.push(`<div class="overview-wrap"><div class="dim small">the whole run of each variant (stop in red, findings as red ticks); the box is the window drawn below</div>${renderOverviewSvg(views.map((v) => v.timeline), zoom, PLOT, LABEL + 70)}</div>`)
    out.push(`<div class="axis">${timeAxis(zoom)}</div>`)
    for (const v of views) out.push(variantTimeline(v, zoom))
    out.push(`<div class="axis">${timeAxis(zoom)}</div>`)
    out.push(histograms(views, index))
  }
  out.push('</section>')
  return out.join('\n')
}

/** One variant's timeline with its heading. */
function variantTimeline(v: RunView, zoom: Window): string {
  const vd = v.result.findings.length ? v.result.findings.map((f) => f.kind).filter((k, i, a) => a.indexOf(k) === i).join(', ') : 'no finding'
  const cls = v.result.findings.length ? 'bad' : 'ok'
  return `<div class="variant"><div class="vhead"><span class="vname">${esc(v.variant)}</span> <span class="badge ${cls}">${esc(vd)}</span> <span class="dim">seed ${v.result.seed}</span></div>${renderTimelineSvg(v.timeline, {window: zoom, width: PLOT, label: LABEL + 70}, {trace: v.trace, variant: v.variant})}</div>`
}

/** The shared time axis of a trace's timelines. */
function timeAxis(w: Window): string {
  const x = scaleLinear().domain([w.from, w.to]).range([LABEL + 70, LABEL + 70 + PLOT])
  return `<svg class="time-axis" width="${LABEL + 70 + PLOT + 8}" height="24" viewBox="0 0 ${LABEL + 70 + PLOT + 8} 24">${axisX(x, 4, tickText, 8)}</svg>`
}

/** The trace's table: the same cells as `compare`. */
function traceTable(row: TraceRow): string {
  const head = `<tr><th>variant</th><th>findings</th>${COMPARE_METRICS.map(([name, h]) => `<th title="${esc(name)}">${esc(h)}</th>`).join('')}</tr>`
  const rows = row.cells.map((cell) => {
    const f = findingTexts(cell.aggregate)
    return `<tr><td>${esc(cell.variant)}</td><td class="${f.length ? 'bad' : 'ok'}">${esc(f.join(', ') || 'none')}</td>${COMPARE_METRICS.map(([name]) => `<td class="num">${esc(spreadText(cell.aggregate, name))}</td>`).join('')}</tr>`
  })
  return `<table class="cells">${head}${rows.join('')}</table>`
}

/** The three latency histograms of a trace, panels without any sample left out. */
function histograms(views: readonly RunView[], index: ReadonlyMap<string, number>): string {
  const kinds = [
    ['rt', 'RT latency: an RT task runnable until it ran'],
    ['irq', 'irq-off: an interrupt held pending until delivered'],
    ['stall', 'stall: a CPU held by the stop'],
  ] as const
  const panels = kinds.flatMap(([k, title]) => {
    const series: HistogramSeries[] = views.map((v) => ({variant: v.variant, index: index.get(v.variant) ?? 0, values: v.timeline.samples[k]}))
    if (series.every((s) => s.values.length === 0)) return []
    return [renderHistogramSvg(title, series, 300, 96)]
  })
  if (panels.length === 0) return ''
  return `<h3>Latency histograms</h3><div class="hists">${panels.join('')}</div>`
}

/** `--explore`: each counterexample as a timeline and as CPU columns, with its replay. */
function exploreSection(data: ReportData): string {
  const e = data.explore!
  const out = [`<section id="explore"><h2>Counterexamples from a schedule search</h2><p>Each trace × variant searched with <code>--strategy ${esc(e.strategy)}</code>, ${esc(searchBudgetText(e))}; each counterexample is shrunk, written beside this report and replayed here.</p>`, LEGEND]
  for (const x of data.counterexamples) {
    const f = x.file.finding
    const w: Window = {from: 0, to: x.timeline.end}
    out.push(`<div class="variant cx" id="${anchor(`${x.trace}-${x.variant}-cx`)}"><div class="vhead"><span class="vname">${esc(`${x.trace} × ${x.variant}`)}</span> <span class="badge bad">${esc(f.kind)}</span> <span class="dim">${esc(`schedule ${x.file.schedule}, ${x.file.mode} model, shrunk from ${x.file.shrunk.from} to ${x.file.shrunk.to} choices`)}</span></div>`)
    out.push(`<p class="detail">${esc(f.detail)}</p>`)
    out.push(renderTimelineSvg(x.timeline, {window: w, width: PLOT, label: LABEL + 70}, {trace: x.trace, variant: `${x.variant} (counterexample)`}))
    const x2 = scaleLinear().domain([w.from, w.to]).range([LABEL + 70, LABEL + 70 + PLOT])
    out.push(`<svg class="time-axis" width="${LABEL + 70 + PLOT + 8}" height="24" viewBox="0 0 ${LABEL + 70 + PLOT + 8} 24">${axisX(x2, 4, (v) => (x.timeline.untimed ? `#${Math.round(v)}` : tickText(v)), 8)}</svg>`)
    out.push(`<details><summary>as CPU columns</summary><pre>${esc(renderCpuColumns(x.log, x.result.findings, {cpus: x.timeline.cpus, width: 110, untimed: x.timeline.untimed}).join('\n'))}</pre></details>`)
    out.push(`<p>Replay: <code>${esc(x.replay)}</code></p></div>`)
  }
  if (data.clean.length) out.push(`<p>No counterexample: ${esc(data.clean.map((c) => `${c.trace} × ${c.variant} (${c.explored.toLocaleString('en-US')} schedules${c.complete ? ', complete' : ''})`).join('; '))}.</p>`)
  out.push('</section>')
  return out.join('\n')
}

/** Where every trace and variant comes from. */
function provenance(data: ReportData): string {
  const traces = data.traces.map((t) => `<li><b>${esc(t.name)}</b> <code>${esc(t.arg)}</code> (${t.cpus} CPUs): ${esc(t.title)}<ul>${t.source.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></li>`)
  const variants = data.variants.map(
    (v) =>
      `<li><b>${esc(v.id)}</b>: ${esc(v.title)}. ${esc(v.authors.join(', '))}, ${esc(v.date)}; kernels ${esc(v.kernels)}.<ul><li>fixed: ${esc(v.fixed)}</li><li>broke: ${esc(v.broke)}</li>${v.sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></li>`,
  )
  return `<section id="provenance"><h2>Provenance</h2><h3>Traces</h3><ul>${traces.join('')}</ul><h3>Variants</h3><ul>${variants.join('')}</ul><p class="dim">Compare alone: <code>${esc(data.compareCommand)}</code></p></section>`
}

/**
 * The window the variants of a trace share: the smallest holding every variant's, except
 * that one variant ending more than three times later than all others is left to the
 * overview strip (it would squeeze the rest into a corner).
 */
function union(ws: readonly Window[]): Window {
  const byEnd = [...ws].sort((a, b) => a.to - b.to)
  const kept = byEnd.length > 2 && byEnd[byEnd.length - 1].to > 3 * byEnd[byEnd.length - 2].to ? byEnd.slice(0, -1) : byEnd
  return {from: Math.min(...kept.map((w) => w.from)), to: Math.max(...kept.map((w) => w.to))}
}

/** The matrix word of a finding kind (`uaf` for use-after-free). */
function shortWord(kind: string): string {
  return VERDICT_WORDS.find(([k]) => k === kind)?.[1] ?? kind
}

function anchor(name: string): string {
  return `trace-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`
}

const swatch = (colour: string, text: string, h = 10): string => `<span class="sw"><svg width="14" height="10"><rect y="${px((10 - h) / 2)}" width="14" height="${h}" fill="${colour}"/></svg>${esc(text)}</span>`

const LEGEND = `<p class="keys">${[
  `<span class="sw"><svg width="21" height="10"><rect width="7" height="10" fill="${taskColour('io')}"/><rect x="7" width="7" height="10" fill="${taskColour('rm')}"/><rect x="14" width="7" height="10" fill="${taskColour('getter')}"/></svg>a task runs (a colour per task)</span>`,
  swatch(COLOURS.stop, 'held by the stop (its thread spins, preemption off)'),
  swatch(COLOURS.irq, 'interrupt handler', 4),
  swatch(COLOURS.pending, 'interrupt pending: interrupts off', 4),
  swatch(COLOURS.delay, 'injected delay', 4),
  swatch(COLOURS.busyWait, "trace's busy-wait", 4),
  `<span class="sw"><svg width="12" height="12"><path d="M6 0L12 6L6 12L0 6Z" fill="${COLOURS.finding}"/></svg>finding (hover for detail)</span>`,
].join('')}</p>`

const STYLE = `
:root{--fg:#1d1d1f;--dim:#6b6b6b;--ok:#2e7d32;--okbg:#e3f1e4;--bad:#b3261e;--badbg:#fbe3e1;--budget:#8a6d00;--budgetbg:#fff3c4}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);margin:0 auto;padding:18px 28px 60px;max-width:1120px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 4px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
code,pre{font:12.5px/1.35 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
pre{background:#f7f7f7;padding:10px;overflow-x:auto;border-radius:4px}
.dim,.title .dim{color:var(--dim);font-weight:normal}.title{margin:2px 0 10px}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 9px;border:1px solid #e2e2e2;text-align:left}th{background:#fafafa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.matrix td{text-align:center;font-weight:600;min-width:88px}.matrix a{color:inherit;text-decoration:none}.matrix th a{color:var(--fg)}
td.ok{background:var(--okbg);color:var(--ok)}td.bad{background:var(--badbg);color:var(--bad)}td.budget{background:var(--budgetbg);color:var(--budget)}
.cells td.ok,.cells td.bad{font-weight:600}
.legend,.keys{color:var(--dim);font-size:12.5px}.sw{display:inline-flex;align-items:center;gap:4px;margin-right:14px}
.variant{margin:6px 0 2px}.vhead{margin:10px 0 2px}.vname{font-weight:600}.detail{margin:2px 0 6px}.cx{margin-bottom:22px}
.matrix .search{display:block;font-size:11.5px;font-weight:600;color:var(--bad)}
.overview-wrap{margin:4px 0 12px}
.badge{font-size:12px;padding:1px 7px;border-radius:9px}.badge.ok{background:var(--okbg);color:var(--ok)}.badge.bad{background:var(--badbg);color:var(--bad)}
svg{display:block;overflow:visible}svg text{font-size:11px;fill:#444}svg .tick{font-size:10.5px;fill:#555}svg .cpu{font-size:10.5px;fill:#555}
svg .panel-title{font-size:12px;font-weight:600;fill:#333}svg .none{font-size:11px;fill:#999;font-style:italic}
.timeline rect[data-tip]:hover,.finding:hover path{stroke:#000;stroke-width:1}
.hists{display:flex;flex-wrap:wrap;gap:10px 24px}
figure{margin:10px 0}.small{font-size:12px}figcaption{font-weight:600}
#tip{position:fixed;z-index:9;max-width:460px;background:#222;color:#fff;font-size:12px;padding:5px 8px;border-radius:4px;pointer-events:none;white-space:pre-wrap}
`

const SCRIPT = `
(function(){var tip=document.getElementById('tip');
document.addEventListener('mouseover',function(e){var t=e.target&&e.target.closest?e.target.closest('[data-tip]'):null;if(!t){tip.hidden=true;return}tip.textContent=t.getAttribute('data-tip');tip.hidden=false});
document.addEventListener('mousemove',function(e){if(tip.hidden)return;var x=Math.min(e.clientX+14,window.innerWidth-tip.offsetWidth-8);tip.style.left=x+'px';tip.style.top=(e.clientY+16)+'px'});})();
`
