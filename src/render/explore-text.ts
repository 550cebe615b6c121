import {choiceWeight, decodeChoices} from '../explore/schedule/choice-list.ts'
import type {ExploreResult} from '../explore/explore-result.ts'
import type {StateStats} from '../explore/search.ts'
import type {ReportedCounterexample} from '../explore/schedule/write-counterexamples.ts'
import {SEARCHES} from '../explore/searches.ts'
import {formatDuration} from '../scenario/duration.ts'

/** Wall-clock figures of a search (not part of its result). */
export interface ExploreTiming {
  readonly searchMs: number
}

const count = (n: number): string => n.toLocaleString('en-US')

/**
 * The human report of a schedule search: what was searched, what was found (or "no
 * finding in N schedules (complete)"), each counterexample with its size after shrinking,
 * and, last, the command that replays it.
 */
export function renderExploreText(r: ExploreResult, timing: ExploreTiming | null, reported: readonly ReportedCounterexample[]): string {
  const kind = SEARCHES[r.strategy]
  const model = kind.untimed ? 'untimed model' : 'timed model'
  const shard = r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : ''
  const lines = [`explore ${r.trace} × ${r.variant}: ${r.strategy} (${model}), seed ${r.seed}${kind.defaultDepth === 0 ? '' : `, depth ${r.depth}`}${shard}`]
  const rate =
    timing === null || timing.searchMs <= 0
      ? ''
      : `; ${formatDuration(timing.searchMs * 1e6)}, ${count(Math.round((r.explored / timing.searchMs) * 1000))} schedules/s`
  const pruned = r.pruned ? `, ${count(r.pruned)} runs cut as redundant` : ''
  const kinds = Object.keys(r.findings)
  if (r.stopped === 'plain-run') {
    lines.push(`  ${why(r)}`)
  } else if (kinds.length === 0) {
    lines.push(`  no finding in ${count(r.explored)} schedules (${why(r)})${pruned}${rate}`)
  } else {
    lines.push(`  ${count(r.explored)} schedule${r.explored === 1 ? '' : 's'} (${why(r)})${pruned}${rate}`)
    for (const kind of kinds) {
      const t = r.findings[kind]
      lines.push(`  ${kind}: ${r.all ? `${count(t.count)} schedule${t.count === 1 ? '' : 's'}, first ` : ''}schedule ${count(t.first)}`)
    }
  }
  if (r.states !== undefined) lines.push(statesLine(r.states))
  if (r.plainRun.length) {
    lines.push(`  the plain run (seed ${r.seed}, no delays) already shows ${r.plainRun.join(', ')}${r.skipped.length ? ' (not counted: --new)' : ''}`)
  }
  if (r.stopped === 'plain-run') {
    lines.push(`  replay: kreplay run ${r.trace} --variant ${r.variant} --lanes (--all searches on and counts every kind; --new looks for other kinds)`)
  }
  for (const c of reported) {
    const w = choiceWeight(decodeChoices(c.file.choices))
    const f = c.file.finding
    const where = [f.cpu !== null ? `cpu${f.cpu}` : '', f.task ?? ''].filter(Boolean).join(' ')
    lines.push(
      '',
      `${f.kind} (schedule ${count(c.file.schedule)}), shrunk from ${count(c.file.shrunk.from)} to ${count(c.file.shrunk.to)} choices: ${w.preemptions} ${c.file.mode === 'untimed' ? 'preemption' : 'reordering'}${w.preemptions === 1 ? '' : 's'}, ${w.delays} injected delay${w.delays === 1 ? '' : 's'}`,
      `  ${f.detail} (at ${formatDuration(f.at)}${where ? `, ${where}` : ''})`,
    )
    if (c.unwritten !== null) {
      lines.push(`  schedule not written: ${c.unwritten}`)
      continue
    }
    if (c.path !== null) lines.push(`  schedule written to ${c.path}`)
    lines.push(`  replay: ${c.replay}`)
  }
  return lines.join('\n') + '\n'
}

function why(r: ExploreResult): string {
  switch (r.stopped) {
    case 'exhausted':
      return r.complete ? 'complete' : `incomplete: ${r.states?.inexact ?? 'not every schedule was covered'}`
    case 'finding':
      return 'stopped at the first finding'
    case 'budget':
      return `incomplete: the budget of ${count(r.budget)} schedules`
    case 'time':
      return 'incomplete: the time limit'
    case 'interrupted':
      return 'incomplete: interrupted'
    case 'plain-run':
      return 'not searched: the plain run already shows a finding'
    case 'shards-missing':
      return `incomplete: only some of its ${count(r.shard?.count ?? 1)} shards merged`
  }
}

/** A stateful search's table, as SPIN reports it, with hash compaction's collision bound. */
function statesLine(s: StateStats): string {
  const p = (s.stored * s.stored) / 2 ** 54
  const full = s.full ? '; the table reached --max-states, later states were not stored' : ''
  return `  states: ${count(s.stored)} stored, ${count(s.matched)} matched, ${count(s.transitions)} transitions, ${formatBytes(s.bytes)} (53-bit hash compaction: a missed state with probability < ${p < 1e-12 ? '1e-12' : p.toPrecision(2)})${full}`
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`
}
