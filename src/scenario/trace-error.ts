import {tidyMessage} from './quote.ts'

/**
 * The one error a trace can fail to load with: where (file, line, column, path inside the
 * trace) and why.
 */

/** A step into a trace: a map key or a list index. */
export type PathSegment = string | number

/**
 * Write a path the way trace errors show it: keys joined with dots, list indexes in
 * brackets (`tasks[0].policy`); a key that is not a plain word is quoted in brackets
 * (`expect["a b"]`). The empty path (the whole trace) is the empty string.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}

/** The longest path an error message shows whole; longer ones keep their two ends. */
const PATH_MAX = 80

/** `path` cut in the middle (`tasks[0].program[0].do[0]…do[0].do[0]`) when longer than PATH_MAX. */
function shortPath(path: string): string {
  return path.length <= PATH_MAX ? path : `${path.slice(0, PATH_MAX / 2)}…${path.slice(-PATH_MAX / 2)}`
}

/** Where and why a trace failed to load. */
export interface TraceErrorInit {
  /** The file as given (or the name passed to `parseTrace`). */
  readonly file: string
  /** 1-based line of the offending node. */
  readonly line: number
  /** 1-based column of the offending node. */
  readonly col: number
  /** Path of the offending node inside the trace, as `formatPath` writes it; may be empty. */
  readonly path: string
  /** What is wrong, and what was expected. One line; made printable and short by `tidyMessage`. */
  readonly reason: string
}

/**
 * A trace that cannot be loaded. `message` is one line,
 * `file:line:col: path: reason` (without `path: ` when the path is empty), e.g.
 * `traces/x.yaml:12:5: tasks[0].policy: expected one of normal, batch, idle, fifo, rr; got "fiffo" (did you mean "fifo"?)`.
 */
export class TraceError extends Error implements TraceErrorInit {
  readonly file: string
  readonly line: number
  readonly col: number
  readonly path: string
  readonly reason: string

  constructor(init: TraceErrorInit) {
    const where = `${init.file}:${init.line}:${init.col}: `
    const reason = tidyMessage(init.reason)
    const path = shortPath(tidyMessage(init.path))
    super(where + (path === '' ? '' : `${path}: `) + reason)
    this.name = 'TraceError'
    this.file = init.file
    this.line = init.line
    this.col = init.col
    this.path = path
    this.reason = reason
  }
}
