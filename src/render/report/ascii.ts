/** The characters kreplay prints outside ASCII, and what stands for each in plain text. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  'µ': 'u',
  '×': 'x',
  '…': '...',
  '–': '-',
  '—': '-',
  '→': '->',
  '←': '<-',
  '≤': '<=',
  '≥': '>=',
  'Σ': 'sum',
  '·': '-',
  '▶': '>',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '\t': ' ',
}

/**
 * `text` in printable ASCII: the characters kreplay uses spelled out (`µs` → `us`, `×` →
 * `x`), tabs as spaces, anything else as `?`. Line breaks are kept.
 */
export function ascii(text: string): string {
  return text.replace(/[^\n\x20-\x7e]/g, (ch) => REPLACEMENTS[ch] ?? '?')
}
