/**
 * Durations as traces write them (`250us`, `1.5ms`, `2s`, `100ns`) and as kreplay prints
 * them (`250 µs`, `1.50 ms`). Internally a duration is an integer number of nanoseconds.
 */

/** Nanoseconds per unit. `µs` is accepted as a synonym of `us`. */
const UNITS: Readonly<Record<string, number>> = {ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9}

const DURATION = /^(\d+(?:\.\d*)?|\.\d+) ?(ns|us|µs|ms|s)$/

/**
 * Parse a duration into integer nanoseconds, rounded to the nearest.
 *
 * Accepts a non-negative decimal number followed by a unit (`ns`, `us`, `µs`, `ms`, `s`),
 * optionally separated by one space, so that what `formatDuration` prints reads back.
 * A bare number is an error, except `0` (as a number or the string `"0"`): a unit is
 * never implied. Throws an `Error` whose message is the reason, in the words of a
 * trace error (`expected a duration with a unit ..., got ...`).
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (value === 0) return 0
    throw new Error(`expected a duration with a unit (ns, us, ms, s), got the bare number ${value}${hint(String(value))}`)
  }
  const text = value.trim()
  if (text === '0') return 0
  if (text.startsWith('-')) throw new Error(`a duration cannot be negative, got "${value}"`)
  if (/^\d+(\.\d*)?$/.test(text)) {
    throw new Error(`expected a duration with a unit (ns, us, ms, s), got the bare number "${value}"${hint(text)}`)
  }
  const match = DURATION.exec(text)
  if (match === null) throw new Error(`expected a duration like 250us, 1.5ms or 2s, got "${value}"`)
  const ns = Math.round(Number(match[1]) * UNITS[match[2]])
  if (!Number.isSafeInteger(ns)) throw new Error(`duration "${value}" is too large`)
  return ns
}

function hint(number: string): string {
  return ` (write it with a unit, e.g. "${number}us")`
}

/** Display units above ns, smallest first, with their size in ns. */
const DISPLAY: readonly (readonly [string, number])[] = [
  ['µs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
]

/**
 * Format nanoseconds for people, with 3 significant figures in the largest unit that keeps
 * the number at 1 or more: `800 ns`, `250 µs`, `1.50 ms`, `12.3 ms`, `5.00 s`. Nanoseconds
 * are whole (`0 ns`, `7 ns`); seconds are never scaled further (`1500 s`). The number and
 * the unit are separated by a space; negative durations get a leading `-`, infinity is `∞`.
 */
export function formatDuration(ns: number): string {
  if (Number.isNaN(ns)) return 'NaN'
  if (ns === Infinity) return '∞'
  if (ns < 0) return `-${formatDuration(-ns)}`
  if (Math.round(ns) < 1000) return `${Math.round(ns)} ns`
  for (const [unit, size] of DISPLAY) {
    const value = Number((ns / size).toPrecision(3))
    // 999.6 µs rounds to 1000: that is "1.00 ms", one unit up.
    if (value < 1000) return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${unit}`
  }
  return `${(ns / 1e9).toFixed(0)} s`
}

/**
 * A span of wall-clock time for a person watching a search: under a minute as a trace's
 * durations print (`12.5 s`), longer in whole minutes and seconds or hours and minutes
 * (`2 min 5 s`, `40 min`, `1 h 30 min`), as `--time 40m` or `2h` is written.
 */
export function formatWallTime(ms: number): string {
  if (!(ms >= 59_500)) return formatDuration(ms * 1e6)
  const s = Math.round(ms / 1000)
  if (s < 3600) return join(Math.floor(s / 60), 'min', s % 60, 's')
  const min = Math.round(s / 60)
  return join(Math.floor(min / 60), 'h', min % 60, 'min')
}

function join(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`
}
