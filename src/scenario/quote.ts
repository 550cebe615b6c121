/**
 * Quoting a value from a user's file inside a one-line error message: whatever the file
 * holds (binary bytes, control characters, a megabyte-long string), the message stays
 * one short line a terminal shows as written.
 */

/** How many characters of a quoted value an error message keeps. */
export const QUOTE_MAX = 40

/** Control characters (C0, DEL, C1), the replacement character, and lone surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * `text` escaped so that it prints on one line: every control character, the replacement
 * character U+FFFD (what undecodable bytes become) and lone surrogates as `\n`, `\t` or
 * `\uXXXX`; other characters as they are.
 */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\t') return '\\t'
    if (c === '\r') return '\\r'
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

/**
 * `text` in double quotes for an error message: escaped (`escapeUnprintable`, and `"` and
 * `\` as in JSON) and cut to its first `max` characters, with `…` and its full length
 * after a cut (`"aaaa…" (5000 characters)`).
 */
export function quote(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text)
  const cut = chars.length > max
  const shown = escapeUnprintable((cut ? chars.slice(0, max).join('') : text).replace(/["\\]/g, (c) => `\\${c}`))
  return cut ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`
}

/** A double-quoted run in a message, with JSON-style escapes inside. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g

/**
 * A message made safe to print as one short line: unprintable characters escaped, and
 * every double-quoted run longer than `max` characters cut as `quote` cuts it.
 */
export function tidyMessage(message: string, max = QUOTE_MAX): string {
  return escapeUnprintable(message).replace(QUOTED, (run) => {
    const inner = Array.from(run.slice(1, -1))
    return inner.length > max + 2 ? `"${inner.slice(0, max).join('')}…" (${inner.length} characters)` : run
  })
}
