/**
 * CPU sets in the kernel's cpulist syntax (`0-3,7`), as traces write them and as kreplay
 * prints them. A CPU set is a sorted array of distinct CPU numbers.
 */

/**
 * Parse a CPU set: a cpulist string (`"0-3,7"`, parts separated by commas, each a CPU
 * number or an inclusive range `a-b` with a <= b), a list of CPU numbers, a single CPU
 * number, or the string `all` (CPUs 0..ncpus-1). Duplicates and overlaps are merged; the
 * result is sorted. Strict: empty parts, reversed ranges, signs, spaces inside a part and
 * anything not a number are errors. CPU numbers are not checked against `ncpus` (callers
 * word that error for their context). Throws an `Error` whose message is the reason.
 */
export function parseCpulist(value: string | number | readonly number[], ncpus: number): number[] {
  if (typeof value === 'number') return normalize([checkCpu(value)])
  if (typeof value !== 'string') return normalize(value.map(checkCpu))
  const text = value.trim()
  if (text === 'all') return Array.from({length: ncpus}, (_, i) => i)
  if (text === '') throw new Error('expected a cpulist like "0-3,7", got an empty string')
  const cpus: number[] = []
  for (const part of text.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part) as [string, string, string | undefined] | null
    if (range === null) {
      const what = part === '' ? 'an empty part' : `"${part}"`
      throw new Error(`expected a cpulist like "0-3,7", got "${value}": ${what} is not a CPU number or a range a-b`)
    }
    const first = checkCpu(Number(range[1]))
    const last = range[2] === undefined ? first : checkCpu(Number(range[2]))
    if (last < first) throw new Error(`range "${part}" in cpulist "${value}" runs backwards; write ${last}-${first}`)
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu)
  }
  return normalize(cpus)
}

function checkCpu(cpu: number): number {
  if (!Number.isSafeInteger(cpu) || cpu < 0) throw new Error(`expected a CPU number (an integer >= 0), got ${cpu}`)
  // Far beyond any machine kreplay models (machine.cpus <= 4096); avoids huge ranges.
  if (cpu >= 1 << 20) throw new Error(`CPU ${cpu} is out of range`)
  return cpu
}

function normalize(cpus: readonly number[]): number[] {
  return [...new Set(cpus)].sort((a, b) => a - b)
}

/**
 * Format a CPU set in the compact kernel form: runs of two or more consecutive CPUs become
 * ranges (`[0, 1, 2, 3, 7]` → `0-3,7`). The input need not be sorted or distinct. The empty
 * set is the empty string.
 */
export function formatCpulist(cpus: readonly number[]): string {
  const sorted = normalize(cpus)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}
