import {createHash} from 'node:crypto'
import type {Scenario} from '../../scenario/types.ts'

/**
 * A content hash of what a trace makes the machine do: its name, horizon, machine,
 * modules, tasks and irqs (not its title, sources, seed or expectations, which no
 * schedule depends on). A schedule file records it so that replaying against a changed
 * or different trace is refused.
 */
export function traceHash(s: Scenario): string {
  const {name, horizon, machine, modules, tasks, irqs} = s
  const text = JSON.stringify({name, horizon, machine, modules, tasks, irqs}, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  )
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`
}
