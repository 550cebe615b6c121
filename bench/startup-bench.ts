/**
 * The start-up figure: `kreplay --version`, whole process, wall time, as a user runs it:
 * packed, installed from the tarball into an empty prefix (test/helpers/pack-install.ts),
 * median of 5, beside a bare `node -e 0` measured the same way. Target: under 0.25 s.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {packAndInstall} from '../test/helpers/pack-install.ts'
import type {BenchLine} from './report-bench.ts'

const RUNS = 5

/** The median wall time of RUNS runs of `command args`, in ms. */
function medianMs(command: string, args: readonly string[]): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const r = spawnSync(command, args, {stdio: 'ignore'})
    times.push(performance.now() - t0)
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`)
  }
  return times.sort((a, b) => a - b)[RUNS >> 1]
}

/** Packs and installs kreplay, then prints the start-up figure. */
export function startupBench(line: BenchLine): void {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-bench-startup-'))
  try {
    const installed = packAndInstall(dir)
    medianMs(installed.bin, ['--version']) // warm the file cache first, as a second start finds it
    const kreplay = medianMs(installed.bin, ['--version'])
    const node = medianMs(process.execPath, ['-e', '0'])
    line('kreplay --version, installed from the tarball (median of 5)', `${(kreplay / 1000).toFixed(3)} s`, '< 0.25 s', kreplay < 250)
    console.log(`  (bare node -e 0: ${(node / 1000).toFixed(3)} s; npm pack ${(installed.packMs / 1000).toFixed(0)} s, npm install ${(installed.installMs / 1000).toFixed(0)} s)`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
