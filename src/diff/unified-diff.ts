/**
 * Unified diffs (context 3) with a bounded cost. The common prefix and suffix are set
 * aside first; what differs between them is diffed with the `diff` package's Myers diff,
 * at most DIFF_WINDOW lines of it from each side (a longer difference is cut there, and
 * the result says so), so two very different long texts cannot take quadratic time. A
 * time limit backs this up: if it is ever hit, the diff falls back to one hunk spanning
 * the whole difference, still a correct patch, just not a minimal one.
 */
import {formatPatch, structuredPatch, FILE_HEADERS_ONLY, type StructuredPatch, type StructuredPatchHunk} from 'diff'

/** Lines of context around each change. */
export const DIFF_CONTEXT = 3
/**
 * How many differing lines of each side are diffed, at most: the deterministic cap on the
 * cost (about 0.3 s for two entirely different windows).
 */
export const DIFF_WINDOW = 1500
/** A backstop on wall-clock time, ms, far above what DIFF_WINDOW allows on any machine. */
export const DIFF_TIMEOUT_MS = 10_000

/** A line diff: its hunks, and how complete it is. */
export interface LineDiff {
  readonly hunks: readonly StructuredPatchHunk[]
  /** False when the time limit was hit and the hunk is the spanning fallback. */
  readonly minimal: boolean
  /**
   * When the difference was longer than the window: how many lines of each side the diff
   * covers (lines after those were not compared). Null when it covers everything.
   */
  readonly cut: {readonly old: number; readonly new: number} | null
}

/** Options of a line diff. */
export interface LineDiffOptions {
  /** Lines of context; default DIFF_CONTEXT. */
  readonly context?: number
  /** Differing lines diffed per side; default DIFF_WINDOW. */
  readonly window?: number
}

/**
 * Diff two lists of lines (none may contain a line break). Hunk lines are prefixed with
 * ` `, `-` or `+`; `oldStart`/`newStart` are 1-based line numbers in the full lists.
 */
export function diffLineLists(a: readonly string[], b: readonly string[], options: LineDiffOptions = {}): LineDiff {
  const context = options.context ?? DIFF_CONTEXT
  const window = options.window ?? DIFF_WINDOW
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
  if (prefix === a.length && prefix === b.length) return {hunks: [], minimal: true, cut: null}
  let suffix = 0
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++
  const start = Math.max(0, prefix - context)
  const [midA, midB] = [a.length - suffix - prefix, b.length - suffix - prefix]
  const cut = midA > window || midB > window
  const endA = cut ? prefix + Math.min(midA, window) : Math.min(a.length, a.length - suffix + context)
  const endB = cut ? prefix + Math.min(midB, window) : Math.min(b.length, b.length - suffix + context)
  const [subA, subB] = [a.slice(start, endA), b.slice(start, endB)]
  const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('')
  const patch = structuredPatch('a', 'b', text(subA), text(subB), undefined, undefined, {context, timeout: DIFF_TIMEOUT_MS})
  const hunks = patch === undefined ? spanningHunk(subA, subB, context) : patch.hunks
  return {
    hunks: hunks.map((h) => ({...h, oldStart: h.oldStart + start, newStart: h.newStart + start})),
    minimal: patch !== undefined,
    cut: cut ? {old: endA, new: endB} : null,
  }
}

/** One hunk covering everything between the common prefix and suffix (none if equal). */
function spanningHunk(a: readonly string[], b: readonly string[], context: number): StructuredPatchHunk[] {
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
  if (prefix === a.length && prefix === b.length) return []
  let suffix = 0
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++
  const start = Math.max(0, prefix - context)
  const tail = Math.min(suffix, context)
  const lines = [
    ...a.slice(start, prefix).map((l) => ` ${l}`),
    ...a.slice(prefix, a.length - suffix).map((l) => `-${l}`),
    ...b.slice(prefix, b.length - suffix).map((l) => `+${l}`),
    ...a.slice(a.length - suffix, a.length - suffix + tail).map((l) => ` ${l}`),
  ]
  const oldLines = a.length - suffix + tail - start
  const newLines = b.length - suffix + tail - start
  return [{oldStart: start + 1, oldLines, newStart: start + 1, newLines, lines}]
}

/** What names the two sides of a patch: file names and optional headers after a tab. */
export interface PatchLabels {
  readonly oldName: string
  readonly newName: string
  readonly oldHeader?: string
  readonly newHeader?: string
}

/** Format hunks as a unified diff with `---`/`+++` headers (no `Index:` line). */
export function formatHunks(hunks: readonly StructuredPatchHunk[], labels: PatchLabels): string {
  const patch: StructuredPatch = {
    oldFileName: labels.oldName,
    newFileName: labels.newName,
    oldHeader: labels.oldHeader,
    newHeader: labels.newHeader,
    hunks: [...hunks],
  }
  return formatPatch(patch, FILE_HEADERS_ONLY)
}

/**
 * A unified diff of two texts, line by line, with DIFF_CONTEXT lines of context. The
 * empty string when they are equal. A missing final newline is not reported as a change.
 */
export function unifiedDiff(oldText: string, newText: string, labels: PatchLabels): string {
  const {hunks} = diffLineLists(splitLines(oldText), splitLines(newText))
  return hunks.length === 0 ? '' : formatHunks(hunks, labels)
}

/** Lines of a text, without their line ends (`\n` or `\r\n`); no empty last line. */
function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split(/\r?\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}
