/**
 * The report the report tests share: small-race against every shipped variant, with a
 * schedule search of the default budget per variant, built in-process and written into `dir`.
 */
import {loadVariants} from '../../../src/compare/load-inputs.ts'
import {buildReport, type ReportData} from '../../../src/report/report-data.ts'
import {writeReport, type WrittenFile} from '../../../src/render/report/report-files.ts'
import {resizeScenario} from '../../../src/scenario/resize.ts'
import {loadTraceArg} from '../../../src/scenario/shipped.ts'
import {SHIPPED_VARIANTS} from '../../../src/variants/registry.ts'

/** The command line the files quote (what `kreplay report` would pass). */
export const COMMAND = 'kreplay report small-race --explore --out r'

/** Builds and writes the report; schedule files go into `dir` and are named `r/...` in replay commands when dir is `r`. */
export async function smallRaceReport(dir: string): Promise<{data: ReportData; files: WrittenFile[]}> {
  const variants = await loadVariants([...SHIPPED_VARIANTS])
  const data = await buildReport({
    traces: [{scenario: loadTraceArg('small-race'), arg: 'small-race'}],
    variants: variants.map((variant) => ({variant, arg: variant.meta.id})),
    seeds: {count: 1},
    cpus: [],
    explore: {strategy: 'random', budget: null, timeMs: null},
    scheduleDir: dir,
    force: true,
    resize: resizeScenario,
    defaults: {traces: false, variants: true},
  })
  return {data, files: writeReport(data, dir, COMMAND, true)}
}
