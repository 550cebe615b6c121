/**
 * How a trace's schema issues read: what was expected and what was found, in the words of
 * trace-format.md (`expected an integer, got "8"`), and how a raw value is named in them.
 */
import type {z} from 'zod'
import {suggestion} from './did-you-mean.ts'
import {quote} from './quote.ts'

/**
 * Describe a raw value for a message: `"text"` (quoted and cut short, see `quote`), `5`,
 * `true`, `a list`, `a map`, `nothing`.
 */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing'
  if (typeof value === 'string') return quote(value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'a map' : typeof value
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
}

/** How every message about an absent required key begins. */
export const MISSING_KEY = 'missing required key'

function missing(path: readonly PropertyKey[] | undefined): string {
  return `${MISSING_KEY} "${String(path?.at(-1))}"`
}

/**
 * The error map that words schema issues for trace errors: what was expected and what
 * was found (`expected an integer, got "8"`), `missing required key "horizon"` for an
 * absent required key, and did-you-mean suggestions for a misspelt choice.
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  const got = describe(issue.input)
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return missing(issue.path)
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${got}`
    case 'custom':
      return issue.params?.missing === true ? missing(issue.path) : undefined
    case 'invalid_value': {
      if (issue.input === undefined) return missing(issue.path)
      if (issue.values.length === 1) return `expected ${describe(issue.values[0])}, got ${got}`
      const choices = issue.values.map(String)
      const guess = typeof issue.input === 'string' ? suggestion(issue.input, choices) : ''
      return `expected one of ${choices.join(', ')}; got ${got}${guess}`
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = Number(small ? issue.minimum : issue.maximum)
      if (issue.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`
      if (issue.origin === 'string') return small ? 'expected a non-empty string' : `expected at most ${bound} characters`
      const word = small ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most'
      return `expected ${word} ${bound}, got ${got}`
    }
    case 'invalid_key':
      return issue.issues[0]?.message
    default:
      return undefined
  }
}
