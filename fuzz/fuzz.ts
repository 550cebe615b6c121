/**
 * `npm run fuzz -- --count N --seed S [--first K] [--workers W] [--guard SECONDS] [--out DIR] [--shrink TRIES]`:
 * the fuzzing campaign (campaign.ts) from the command line. Prints its figures (cases,
 * crashes, hangs, non-deterministic outputs, error lines without file:line:column, peak
 * memory) and each failure with its reproducer; exits 1 when anything failed.
 */
import {parseArgs} from 'node:util'
import {runCampaign} from './campaign.ts'

const {values} = parseArgs({
  options: {
    count: {type: 'string', default: '1000'},
    seed: {type: 'string', default: '1'},
    first: {type: 'string', default: '0'},
    workers: {type: 'string', default: '2'},
    guard: {type: 'string', default: '120'},
    out: {type: 'string', default: 'fuzz-failures'},
    shrink: {type: 'string', default: '200'},
  },
})
const count = Number(values.count)
const tty = process.stderr.isTTY
const report = await runCampaign({
  count,
  seed: Number(values.seed),
  first: Number(values.first),
  workers: Number(values.workers),
  guardMs: Number(values.guard) * 1000,
  everyVariant: true,
  outDir: values.out,
  shrinkTries: Number(values.shrink),
  onProgress: (done) => {
    if (done % 500 === 0 || done === count) process.stderr.write(`${tty ? '\r' : ''}${done}/${count} cases${tty ? '' : '\n'}`)
  },
})
if (tty) process.stderr.write('\n')
const n = (x: number) => x.toLocaleString('en-US')
console.log(`cases                 ${n(report.cases)} (${n(report.valid)} valid, ${n(report.mutated)} mutated; ${n(report.rejected)} rejected with file:line:column)`)
console.log(`commands run          ${n(report.commands)}`)
console.log(`crashes               ${n(report.counts.crash)}`)
console.log(`hangs                 ${n(report.counts.hang)}`)
console.log(`non-deterministic     ${n(report.counts.nondeterministic)}`)
console.log(`bad error lines       ${n(report.counts['bad-error'])}`)
console.log(`peak memory           ${n(report.peakRssMb)} MiB (the largest process)`)
console.log(`wall time             ${(report.ms / 1000).toFixed(1)} s`)
for (const f of report.failures) {
  console.log(`\n${f.kind} in case ${f.index} (${f.damage ?? 'valid'}): ${f.why}\n  kreplay ${f.argv.join(' ')}${f.reproducer ? `\n  reproducer: ${f.reproducer}` : ''}`)
}
process.exitCode = report.failures.length > 0 ? 1 : 0
