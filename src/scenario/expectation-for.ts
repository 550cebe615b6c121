import type {Expectation, Scenario} from './types.ts'

/** The expectation a trace states for a variant: its own entry, else `default`, else none. */
export function expectationFor(s: Scenario, variant: string): Expectation | null {
  if (Object.hasOwn(s.expect, variant)) return s.expect[variant]
  return Object.hasOwn(s.expect, 'default') ? s.expect.default : null
}
