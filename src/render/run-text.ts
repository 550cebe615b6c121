import {METRIC_NAMES, type RunResult} from '../core/result.ts'
import {formatDuration} from '../scenario/duration.ts'
import {formatMetric} from './units.ts'

/** The human report of one run: a header, the findings, then every contract metric. */
export function renderRunText(r: RunResult): string {
  const lines = [`${r.trace} × ${r.variant} (seed ${r.seed}): ended ${describeEnd(r)}`, '', 'findings']
  if (!r.findings.length) lines.push('  none')
  for (const f of r.findings) {
    const where = [f.cpu !== null ? `cpu ${f.cpu}` : '', f.task ?? ''].filter(Boolean).join(' ')
    lines.push(`  ${f.kind.padEnd(22)} at ${formatDuration(f.at)}${where ? `  ${where}` : ''}`)
    lines.push(`    ${f.detail}`)
  }
  lines.push('', 'metrics')
  for (const m of METRIC_NAMES) lines.push(`  ${m.padEnd(16)} ${formatMetric(m, r.metrics[m])}`)
  return lines.join('\n') + '\n'
}

function describeEnd(r: RunResult): string {
  const at = formatMetric('sim_time', r.metrics.sim_time)
  switch (r.ended) {
    case 'idle':
      return `at ${at}, nothing left to run`
    case 'horizon':
      return `at the horizon, ${at}`
    case 'step-budget':
      return `at ${at}: the step budget ran out (a loop that never finishes?)`
  }
}
