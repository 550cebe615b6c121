/**
 * The report's figure for `npm run bench`: the wall time of `kreplay report` over every
 * shipped trace and variant (building the data, rendering and writing the four files),
 * against `compare` on the same input measured just before it. Target: under 2x.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runComparisonInParallel} from '../src/compare/compare.ts'
import {loadScenarios, loadVariants} from '../src/compare/load-inputs.ts'
import {buildReport} from '../src/report/report-data.ts'
import {writeReport} from '../src/render/report/report-files.ts'
import {resizeScenario} from '../src/scenario/resize.ts'
import {shippedTraceFiles, traceName} from '../src/scenario/shipped.ts'

/** One figure: name, value text, target text, met. */
export type BenchLine = (name: string, figure: string, target: string, met: boolean) => void

/** Measures compare, then report, on every shipped trace x variant, and prints the ratio. */
export async function reportBench(line: BenchLine): Promise<void> {
  const variants = await loadVariants([])
  const t0 = performance.now()
  await runComparisonInParallel(loadScenarios([]), variants)
  const compareMs = performance.now() - t0
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-bench-report-'))
  try {
    const t1 = performance.now()
    const data = await buildReport({
      traces: shippedTraceFiles().map((f) => ({scenario: loadScenarios([f])[0], arg: traceName(f)})),
      variants: variants.map((variant) => ({variant, arg: variant.meta.id})),
      seeds: {count: 1},
      cpus: [],
      explore: null,
      scheduleDir: dir,
      force: true,
      resize: resizeScenario,
      defaults: {traces: true, variants: true},
    })
    const files = writeReport(data, dir, 'kreplay report --out bench', true)
    const reportMs = performance.now() - t1
    const ratio = reportMs / compareMs
    line(`report: ${data.comparison.traces.length} traces x ${variants.length} variants, 4 files`, `${(reportMs / 1000).toFixed(2)} s`, '< 2x compare', ratio < 2)
    console.log(`  (${ratio.toFixed(2)}x the ${(compareMs / 1000).toFixed(2)} s of compare just before; ${files.map((f) => `${f.path.slice(dir.length + 1)} ${(f.bytes / 1e6).toFixed(1)} MB`).join(', ')})`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
