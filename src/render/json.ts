/**
 * JSON output: two-space indented, keys in the order the result constructors fixed, and
 * a trailing newline, so identical runs print identical bytes.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}
