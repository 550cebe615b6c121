/**
 * kreplay's benchmark: prints its figures, asserts nothing. Run with `npm run bench`.
 * Targets (2-core machine): >= 2,000,000 simulated steps/s on io-storm; a 1024-CPU
 * stop_machine trace in under 2 s; every shipped trace x every variant in under 10 s;
 * the explore targets (see src/explore/bench.ts); a 1,000,000-line ftrace capture imported
 * in under 5 s and 300 MB (bench/import-bench.ts); a report of every shipped trace and
 * variant in under 2x compare's time (report-bench.ts). `npm run bench -- --quick` skips the
 * exhaustive searches that take minutes.
 */
import {produce} from 'immer'
import {runComparison} from '../src/compare/compare.ts'
import {loadScenarios, loadVariants} from '../src/compare/load-inputs.ts'
import {runScenario} from '../src/engine/run.ts'
import {exploreBench} from '../src/explore/bench.ts'
import {statefulBench} from '../src/explore/stateful-bench.ts'
import {importBench} from './import-bench.ts'
import {reportBench} from './report-bench.ts'
import type {Variant} from '../src/engine/variant.ts'
import {loadTraceArg} from '../src/scenario/shipped.ts'
import type {Scenario} from '../src/scenario/types.ts'
import {loadVariant} from '../src/variants/registry.ts'

/** Best of `n` wall-clock timings of `fn`, in ms, with its last value. */
function best<T>(n: number, fn: () => T): {ms: number; value: T} {
  let ms = Infinity
  let value!: T
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    value = fn()
    ms = Math.min(ms, performance.now() - t0)
  }
  return {ms, value}
}

function line(name: string, figure: string, target: string, met: boolean): void {
  console.log(`${name.padEnd(58)} ${figure.padStart(18)}   target ${target} ${met ? 'met' : 'NOT MET'}`)
}

async function main(): Promise<void> {
  const stopMachine = await loadVariant('stop-machine')

  // 1. Simulated steps per second on io-storm (a longer horizon so start-up is noise).
  const storm = produce(loadTraceArg('io-storm'), (s) => {
    s.horizon = 200_000_000
  })
  const variants: Variant[] = [stopMachine]
  for (const id of ['atomic-refcnt', 'lockfree-naive']) {
    try {
      variants.push(await loadVariant(id))
    } catch {
      // not shipped yet
    }
  }
  for (const v of variants) {
    const r = best(3, () => runScenario(storm, v).result)
    const rate = r.value.metrics.steps / (r.ms / 1000)
    line(`io-storm steps/s (${v.meta.id})`, Math.round(rate).toLocaleString('en-US'), '>= 2,000,000', rate >= 2e6)
  }

  // 2. A 1024-CPU stop_machine removal.
  const big: Scenario = produce(loadTraceArg('idle-rmmod'), (s) => {
    s.machine.cpus = 1024
    s.tasks[0].cpus = [0]
  })
  const r = best(3, () => runScenario(big, stopMachine).result)
  line('1024-CPU stop_machine rmmod, wall time', `${r.ms.toFixed(0)} ms`, '< 2000 ms', r.ms < 2000)
  console.log(`  (rmmod_latency ${r.value.metrics.rmmod_latency} ns, ${r.value.metrics.steps} steps)`)

  // 3. The main job: every shipped trace x every variant, as `kreplay compare` runs it,
  // including loading (measured once: the first run is what a user waits for).
  const t0 = performance.now()
  const cmp = runComparison(loadScenarios([]), await loadVariants([]))
  const ms = performance.now() - t0
  const runs = cmp.traces.length * cmp.variants.length
  line(`compare: ${cmp.traces.length} traces x ${cmp.variants.length} variants`, `${(ms / 1000).toFixed(2)} s`, '< 10 s', ms < 10_000)
  console.log(`  (${runs} runs)`)
  await reportBench(line)

  // 4. Schedule search (the explore issue's targets). `--quick` skips the complete
  // exhaustive searches, which take minutes.
  for (const f of await exploreBench(process.argv.includes('--quick'))) {
    const value = f.unit === 's' ? `${f.value.toFixed(2)} s` : `${f.value.toLocaleString('en-US')} ${f.unit === 'schedules' ? 'sched' : 'sched/s'}`
    line(f.name, value, f.target, f.met)
    console.log(`  (${f.note})`)
  }

  // 4b. Stateful search (issue 17): the N x I getter shapes and small-race.
  for (const f of await statefulBench(process.argv.includes('--quick'))) {
    line(f.name, `${f.value.toFixed(2)} s`, f.target, f.met)
    console.log(`  (${f.note})`)
  }

  // 5. Importing a kernel capture (kreplay import ftrace), whole process.
  for (const f of await importBench()) {
    line(f.name, f.value, f.target, f.met)
    console.log(`  (${f.note})`)
  }
}

await main()
