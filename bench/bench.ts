/**
 * kreplay's benchmark: prints its figures, asserts nothing. Run with `npm run bench`.
 * Targets (2-core machine): the engine's (engine-bench.ts: >= 5,000,000 simulated steps/s
 * in-process; 4096 CPUs at most 4.5x 1024; compare on worker threads at most 0.6x one
 * thread; compare --seeds 10 under 15 s); every shipped trace x every variant in under 10 s;
 * the explore targets (see src/explore/bench.ts); a 1,000,000-line ftrace capture imported
 * in under 5 s and 300 MB (bench/import-bench.ts); a report of every shipped trace and
 * variant in under 2x compare's time (report-bench.ts); `kreplay --version` installed from the
 * packed tarball in under 0.25 s (startup-bench.ts). `npm run bench -- --quick` skips the
 * exhaustive searches that take minutes.
 */
import {exploreBench} from '../src/explore/bench.ts'
import {statefulBench} from '../src/explore/stateful-bench.ts'
import {compareBench, engineBench} from './engine-bench.ts'
import {importBench} from './import-bench.ts'
import {reportBench} from './report-bench.ts'
import {startupBench} from './startup-bench.ts'

function line(name: string, figure: string, target: string, met: boolean): void {
  console.log(`${name.padEnd(58)} ${figure.padStart(18)}   target ${target} ${met ? 'met' : 'NOT MET'}`)
}

async function main(): Promise<void> {
  // 1-3. The engine (steps/s, CPU scaling) and compare on worker threads (engine-bench.ts).
  await engineBench(line)
  await compareBench(line)
  await reportBench(line)

  // 4. Schedule search (the explore issue's targets). `--quick` skips the complete
  // exhaustive searches, which take minutes.
  for (const f of await exploreBench(process.argv.includes('--quick'))) {
    const value = f.unit === 's' ? `${f.value.toFixed(2)} s` : f.unit === 'ratio' ? `${f.value.toFixed(2)}x` : `${f.value.toLocaleString('en-US')} ${f.unit === 'schedules' ? 'sched' : 'sched/s'}`
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

  // 6. Start-up: `kreplay --version` as installed from the packed tarball, whole process.
  startupBench(line)
}

await main()
