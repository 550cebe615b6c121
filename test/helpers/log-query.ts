/** The distinct finding kinds of a result, sorted. */
export const findingKinds = (r: {findings: readonly {kind: string}[]}): string[] => [...new Set(r.findings.map((f) => f.kind))].sort()

/** The time of the first event line (`time cpuN task what`) matching `re`. */
export function timeOf(lines: readonly string[], re: RegExp): number {
  const line = lines.find((l) => re.test(l))
  if (line === undefined) throw new Error(`no event matches ${String(re)}`)
  return Number(line.split(' ')[0])
}
