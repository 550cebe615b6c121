import stringWidth from 'string-width'
import wrapAnsi from 'wrap-ansi'

/**
 * Word wrapping for fixed-width text output, by wrap-ansi: greedy, breaking at spaces
 * (dropped at a break) and hard-splitting a word wider than `width`. Widths are display
 * columns (string-width: a wide character counts two, an ANSI code none). Always at least
 * one line (`['']` for empty text).
 */
export function wrapText(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, Math.floor(width)), {hard: true}).split('\n')
}

/**
 * Text made of hyphenated names (a variant id as a column head, `freed-while-referenced
 * 1/10` in a findings cell) wrapped at spaces and also after hyphens, which stay:
 * `stop-machine-run` in 8 columns is `stop-`, `machine-`, `run`. Greedy, a space at a
 * break dropped, a piece wider than `width` hard-split. Hand-written because wrap-ansi
 * breaks only at spaces: it would cut `freed-while-refer` / `enced` where this gives
 * `freed-while-` / `referenced`.
 */
export function wrapAtHyphens(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width))
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const pieces = word.split(/(?<=-)/)
    for (const [k, piece] of pieces.entries()) {
      const joined = k === 0 && line !== '' ? `${line} ${piece}` : line + piece
      if (stringWidth(joined) <= w) {
        line = joined
        continue
      }
      if (line !== '') lines.push(line)
      const parts = wrapText(piece, w)
      line = parts.pop() ?? ''
      lines.push(...parts)
    }
  }
  lines.push(line)
  return lines
}

/** The display width (string-width) of the widest line of `text`. */
export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => stringWidth(l)))
}

/**
 * Pack `entries` into lines of at most `width` columns, joined by `separator` within a
 * line and never split across lines (an entry wider than `width` gets lines of its own,
 * wrapped at spaces). Every line but the first starts with `indent`. Hand-written: wrap-ansi
 * wraps words at spaces, while an entry here is several words that stay together and the
 * separator is not a space.
 */
export function packLines(entries: readonly string[], separator: string, width: number, indent = ''): string[] {
  const lines: string[] = []
  let line = ''
  for (const entry of entries) {
    if (line !== '' && stringWidth(line + separator + entry) <= width) {
      line += separator + entry
      continue
    }
    if (line !== '') lines.push(line)
    const parts = wrapText(entry, width - stringWidth(indent))
    const last = parts.pop() ?? ''
    for (const part of parts) lines.push((lines.length === 0 ? '' : indent) + part)
    line = (lines.length === 0 ? '' : indent) + last
  }
  if (line !== '') lines.push(line)
  return lines
}
