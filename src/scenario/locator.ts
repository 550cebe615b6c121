/**
 * Where in a trace's text a problem is: maps paths in the parsed YAML document to
 * line:column and makes the TraceErrors the loader (load.ts) throws, for schema issues,
 * YAML syntax errors, alias bombs and nesting too deep.
 */
import {isAlias, isMap, isScalar, isSeq, visit, type Document, type LineCounter, type Node} from 'yaml'
import type {z} from 'zod'
import {MISSING_KEY} from './issue-message.ts'
import {formatPath, TraceError, type PathSegment} from './trace-error.ts'

/** The deepest nesting of lists and maps a trace may have (repeats inside repeats, ...). */
export const MAX_DEPTH = 64
/** Aliases a trace may expand: YAML's defence against alias bombs (the yaml package's default). */
export const MAX_ALIASES = 100

/** Maps paths in the trace to positions in its text and makes TraceErrors there. */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /**
   * A TraceError at `path`. `atKey`: at the key that is the path's last step (an unknown
   * or misplaced key) rather than its value. A path that leads to an absent key ends at
   * the enclosing map, which is then where the error is and what it names.
   */
  error(path: readonly PathSegment[], reason: string, atKey = false): TraceError {
    let node: Node | null = this.doc.contents
    let offset = node?.range?.[0] ?? 0
    const found: PathSegment[] = []
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc) ?? null
      let key: Node | null = null
      let next: Node | null | undefined
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
        key = (pair?.key ?? null) as Node | null
        next = pair?.value as Node | null | undefined
        if (pair === undefined) break
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment] as Node | null | undefined
        if (next === undefined) break
      } else break
      const last = found.length === path.length - 1
      if (atKey && last && key?.range != null) {
        offset = key.range[0]
        break
      }
      found.push(segment)
      // `key:` with nothing after it has an empty value node: point at the key instead.
      const empty = isScalar(next) && next.source === ''
      offset = (empty ? key?.range?.[0] : next?.range?.[0]) ?? key?.range?.[0] ?? offset
      node = next ?? null
    }
    const {line, col} = this.lines.linePos(offset)
    return new TraceError({file: this.file, line, col, path: formatPath(found), reason})
  }

  /**
   * The document as plain data, or a TraceError where it expands more than MAX_ALIASES
   * aliases (an alias bomb) or nests deeper than MAX_DEPTH.
   */
  toData(): unknown {
    let data: unknown
    try {
      data = this.doc.toJS({maxAliasCount: MAX_ALIASES})
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error
      throw this.at(firstAlias(this.doc), `expands more than ${MAX_ALIASES} aliases; a trace needs far fewer (an alias bomb?)`)
    }
    const deep = tooDeep(data, [])
    if (deep !== null) throw this.error(deep, `nested more than ${MAX_DEPTH} levels deep; a trace needs far fewer`)
    return data
  }

  /** A TraceError at `offset` in the text, with no path. */
  private at(offset: number, reason: string): TraceError {
    const {line, col} = this.lines.linePos(offset)
    return new TraceError({file: this.file, line, col, path: '', reason})
  }

  /**
   * The schema issue that comes first in the text, as a TraceError. A missing key is not
   * reported when its map has an unknown key: that is most likely the same key misspelt.
   */
  firstIssue(issues: readonly z.core.$ZodIssue[]): TraceError {
    const misspelt = new Set(issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => pathKey(issue.path)))
    const errors = issues
      .filter((issue) => !(isMissing(issue) && misspelt.has(pathKey(issue.path.slice(0, -1)))))
      .map((issue) => {
        const path = issue.path.filter((segment) => typeof segment !== 'symbol')
        if (issue.code === 'unrecognized_keys') return this.error([...path, issue.keys[0]], issue.message, true)
        const atKey = issue.code === 'invalid_key' || (issue.code === 'custom' && issue.params?.atKey === true)
        return this.error(path, issue.message, atKey)
      })
    errors.sort((a, b) => a.line - b.line || a.col - b.col)
    return errors[0]
  }

  /** A YAML syntax error (yaml's code and message) at `offset`. */
  syntaxError(text: string, code: string, message: string, offset: number): TraceError {
    let reason = message.split('\n')[0]
    if (code === 'MULTIPLE_DOCS') reason = 'a second YAML document: a trace is one document'
    if (code === 'DUPLICATE_KEY') {
      const key = /^("[^"]*"|'[^']*'|[^\s:,{}[\]]+)/.exec(text.slice(offset))
      reason = key === null ? 'duplicate key' : `duplicate key ${key[1].startsWith('"') ? key[1] : JSON.stringify(key[1])}`
    }
    if (INDENTATION.has(code) || reason.startsWith('Sequence item without')) reason += ' (check the indentation)'
    if (reason.startsWith('Maximum call stack')) reason = `nested too deeply to parse (a trace needs at most ${MAX_DEPTH} levels of lists and maps)`
    // yaml may point at the indentation before a line's content: point at the content.
    while (text[offset] === ' ') offset++
    const {line, col} = this.lines.linePos(offset)
    return new TraceError({file: this.file, line, col, path: '', reason: `invalid YAML: ${reason}`})
  }
}

/** The text offset of the document's first alias (`*name`). */
function firstAlias(doc: Document): number {
  let offset = 0
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0
      return visit.BREAK
    },
  })
  return offset
}

/** The path to the first list or map nested deeper than MAX_DEPTH in `data`, or null. */
function tooDeep(data: unknown, path: PathSegment[]): PathSegment[] | null {
  if (typeof data !== 'object' || data === null) return null
  if (path.length >= MAX_DEPTH) return path
  for (const [key, value] of Object.entries(data)) {
    const deeper = tooDeep(value, [...path, Array.isArray(data) ? Number(key) : key])
    if (deeper !== null) return deeper
  }
  return null
}

/** yaml error codes that usually mean a line is indented wrongly. */
const INDENTATION: ReadonlySet<string> = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'BAD_INDENT'])

function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String))
}

/** The issue of a required key that is absent (worded by `issueMessage`). */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.message.startsWith(MISSING_KEY)
}
