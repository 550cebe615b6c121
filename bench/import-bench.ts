/**
 * The import benchmark: a 1,000,000-line ftrace capture (generated here into a temporary
 * file, never committed) imported by the real CLI in a child process, which reports its
 * own peak resident memory. Targets: under 5 s and under 300 MB, whole process.
 */
import {spawnSync} from 'node:child_process'
import {createWriteStream, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {CaptureBuilder, header, line, type Task} from '../test/helpers/synthetic-capture.ts'

const US = 1_000
const BIN = fileURLToPath(new URL('../bin/dev.js', import.meta.url))
/** Preloaded into the import process: on exit, its peak resident memory and CPU time on stderr. */
const REPORT_USAGE =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write(`max-rss-kb ${u.maxRSS} cpu-us ${u.userCPUTime+u.systemCPUTime}\\n`)})'

/** One 100 µs period of a 16-CPU machine: I/O through a module on every CPU, completions in hard irq. */
function period(k: number): string[] {
  const b = new CaptureBuilder()
  const t = 7_000_000_000 * US + k * 100 * US
  for (let cpu = 0; cpu < 16; cpu++) {
    const task: Task = {comm: 'fio', pid: 2000 + ((k + cpu) % 24), prio: 120}
    b.burst(cpu, t + cpu * US, task, 40 * US, (s) => {
      b.ref('module_get', cpu, s + 5 * US, task, 'nvme', 'nvme_queue_rq [nvme]')
      b.ref('module_put', cpu, s + 25 * US, task, 'nvme', 'nvme_queue_rq [nvme]')
      b.add({ts: s + 30 * US, cpu, by: task, flags: '.....', data: {e: 'sched_stat_runtime', sys: 'sched', text: `comm=fio pid=${task.pid} runtime=30000 [ns] vruntime=123456789 [ns]`}})
    })
    b.add({ts: t + cpu * US + 70 * US, cpu, by: null, flags: 'd.h1.', data: {e: 'irq_handler_entry', irq: 40 + cpu, name: `nvme0q${cpu + 1}`}})
    b.ref('module_get', cpu, t + cpu * US + 71 * US, null, 'nvme', 'nvme_irq [nvme]', 'd.h1.')
    b.ref('module_put', cpu, t + cpu * US + 72 * US, null, 'nvme', 'nvme_irq [nvme]', 'd.h1.')
    b.add({ts: t + cpu * US + 73 * US, cpu, by: null, flags: 'd.h1.', data: {e: 'irq_handler_exit', irq: 40 + cpu}})
  }
  return b.sorted().map((ev) => line('ftrace5-tgid', ev))
}

/** Write a capture of at least `lines` lines to `file`. */
async function writeCapture(file: string, lines: number): Promise<number> {
  const out = createWriteStream(file)
  const write = (text: string) =>
    out.write(text)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          out.once('drain', resolve)
        })
  let n = 0
  const head = header('ftrace5-tgid', 16, lines)
  await write(head.join('\n') + '\n')
  n += head.length
  for (let k = 0; n < lines; k++) {
    const chunk = period(k)
    await write(chunk.join('\n') + '\n')
    n += chunk.length
  }
  await new Promise<void>((resolve) => {
    out.end(resolve)
  })
  return n
}

/** A benchmark figure: what, the value, the target, and whether it is met. */
export interface ImportFigure {
  readonly name: string
  readonly value: string
  readonly target: string
  readonly met: boolean
  readonly note: string
}

/** Generate the capture, import it once with the CLI, and report wall time and peak memory. */
export async function importBench(): Promise<ImportFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-import-bench-'))
  try {
    const file = join(dir, 'capture.txt')
    const lines = await writeCapture(file, 1_000_000)
    const t0 = performance.now()
    const r = spawnSync(process.execPath, ['--import', REPORT_USAGE, BIN, 'import', 'ftrace', file, '--module', 'nvme'], {encoding: 'utf8', maxBuffer: 1 << 26})
    const ms = performance.now() - t0
    if (r.status !== 0) throw new Error(`import failed (exit ${r.status}): ${r.stderr}`)
    const usage = /max-rss-kb (\d+) cpu-us (\d+)/.exec(r.stderr)
    const mb = usage === null ? NaN : Number(usage[1]) / 1024
    const cpu = usage === null ? NaN : Number(usage[2]) / 1e6
    const note = `${lines.toLocaleString('en-US')} lines into ${r.stdout.split('\n').length} lines of trace; ${cpu.toFixed(2)} s of CPU (wall time counts waiting for a busy machine)`
    return [
      {name: 'import ftrace: 1,000,000-line capture, wall time', value: `${(ms / 1000).toFixed(2)} s`, target: '< 5 s', met: ms < 5000, note},
      {name: 'import ftrace: 1,000,000-line capture, peak memory', value: `${mb.toFixed(0)} MB`, target: '< 300 MB', met: mb < 300, note: 'maximum resident set of the whole CLI process'},
    ]
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
