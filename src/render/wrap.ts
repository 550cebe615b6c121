/**
 * Word wrapping for fixed-width text output: greedy, breaking after a space (which is
 * dropped) or after a hyphen (which stays), and hard-splitting a word longer than the width.
 * Widths count UTF-16 code units, which is the display width for the text kreplay prints
 * (no wide or combining characters, no ANSI codes). `hyphens: false` breaks at spaces only.
 */
export function wrapText(text: string, width: number, hyphens = true): string[] {
  const w = Math.max(1, Math.floor(width))
  const pieces = text.split(hyphens ? /(?<=-)|(?= )/ : /(?= )/).flatMap((p) => (p.startsWith(' ') ? [' ', p.slice(1)] : [p]))
  const lines: string[] = []
  let line = ''
  for (const piece of pieces) {
    if (piece === '') continue
    if (piece === ' ') {
      if (line !== '') line += ' '
      continue
    }
    if ((line + piece).length <= w) {
      line += piece
      continue
    }
    if (line.trimEnd() !== '') lines.push(line.trimEnd())
    let rest = piece
    while (rest.length > w) {
      lines.push(rest.slice(0, w))
      rest = rest.slice(w)
    }
    line = rest
  }
  if (line.trimEnd() !== '' || lines.length === 0) lines.push(line.trimEnd())
  return lines
}

/** The display width of the widest line of `text`. */
export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => l.length))
}

/**
 * Pack `entries` into lines of at most `width`, joined by `separator` within a line and
 * never split across lines (an entry wider than `width` gets a line of its own and is
 * wrapped at spaces). Every line but the first starts with `indent`.
 */
export function packLines(entries: readonly string[], separator: string, width: number, indent = ''): string[] {
  const lines: string[] = []
  let line = ''
  for (const entry of entries) {
    if (line !== '' && line.length + separator.length + entry.length <= width) {
      line += separator + entry
      continue
    }
    if (line !== '') lines.push(line)
    const parts = wrapText(entry, width - indent.length, false)
    const last = parts.pop() ?? ''
    for (const part of parts) lines.push((lines.length === 0 ? '' : indent) + part)
    line = (lines.length === 0 ? '' : indent) + last
  }
  if (line !== '') lines.push(line)
  return lines
}
