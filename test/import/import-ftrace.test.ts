import {Readable} from 'node:stream'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/core/input-error.ts'
import {importFtrace} from '../../src/import/import-ftrace.ts'
import {parseWindow} from '../../src/import/import-options.ts'

const HEAD = ['# tracer: nop', '#', '# entries-in-buffer/entries-written: 9/9   #P:2', '#']
const at = (us: number) => (100 + us / 1e6).toFixed(6)
const ev = (who: string, cpu: number, flags: string, us: number, text: string) => `${who.padStart(16)} [00${cpu}] ${flags} ${at(us).padStart(12)}: ${text}`

/** A small capture: a task that gets and puts `m` twice on CPU 0, with the refcnt 3.19+ prints after `held` references. */
function capture(held = 0, extra: string[] = []): string {
  const r = (n: number) => 1 + held + n
  return [
    ...HEAD,
    ev('<idle>-0', 0, 'd..2.', 0, 'sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=app next_pid=7 next_prio=120'),
    ev('app-7', 0, '.....', 10, `module_get: m call_site=app_ioctl [m] refcnt=${r(1)}`),
    ev('app-7', 0, '.....', 20, `module_put: m call_site=app_ioctl [m] refcnt=${r(0)}`),
    ev('app-7', 0, 'd..2.', 30, 'sched_switch: prev_comm=app prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120'),
    ...extra,
    ev('<idle>-0', 0, 'dNh2.', 90, 'sched_wakeup: comm=app pid=7 prio=120 target_cpu=000'),
    ev('<idle>-0', 0, 'd..2.', 100, 'sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=app next_pid=7 next_prio=120'),
    ev('app-7', 0, '.....', 110, `module_get: m call_site=app_ioctl [m] refcnt=${r(1)}`),
    ev('app-7', 0, '.....', 120, `module_put: m call_site=app_ioctl [m] refcnt=${r(0)}`),
    ev('app-7', 0, 'd..2.', 130, 'sched_switch: prev_comm=app prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120'),
  ].join('\n')
}

const stream = (text: string) => Readable.from([text])

describe('importFtrace', () => {
  it('turns a task’s switches, wakeups and references into a validated trace', async () => {
    const {scenario, document} = await importFtrace(stream(capture()), {}, 'small.txt')
    expect(scenario.name).toBe('small')
    expect(scenario.machine.cpus).toBe(2)
    expect(scenario.modules).toEqual([expect.objectContaining({name: 'm', loaded: true, refs: 0})])
    expect(document.tasks).toEqual([
      {name: 'app-7', cpus: '0', policy: 'normal', priority: 0, start: '0', program: [{repeat: 2, do: [{get: 'm'}, {call: 'm', for: '10us'}, {put: 'm'}, {spin: '20us'}, {sleep: '30us'}]}]},
      {name: 'rmmod', start: '65us', program: [{rmmod: 'm'}]},
    ])
  })

  it('counts a task running when the capture begins from the capture’s first event, even if a module event shows it first', async () => {
    const text = capture().split('\n').filter((l, i) => i !== HEAD.length)
    const {document} = await importFtrace(stream(text.join('\n')), {}, 'x.txt')
    const app = (document.tasks as {name: string; start: string; program: unknown}[])[0]
    expect(app.start).toBe('0')
    // It ran 20 µs before its first switch away and 30 µs later: 25 µs a cycle, 10 of them in the module.
    expect(app.program).toEqual([{repeat: 2, do: [{get: 'm'}, {call: 'm', for: '10us'}, {put: 'm'}, {spin: '15us'}, {sleep: '30us'}]}])
  })

  it('names the field, not a line of its own output, when the trace a capture imports to is not valid', async () => {
    const lines = [
      '          iperf3   4000 [9999]    66.846220: module:module_get: e1000e call_site=e1000_xmit_frame [e1000e] refcnt=2',
      '          iperf3   4000 [9999]    66.846226: module:module_put: e1000e call_site=e1000_xmit_frame [e1000e] refcnt=1',
    ]
    await expect(importFtrace(stream(lines.join('\n')), {}, 'c.txt')).rejects.toThrow(new InputError('c.txt: the trace it imports to is not valid: machine.cpus: expected at most 4096, got 10000'))
  })

  it('reads a capture saved gzip-compressed, as UTF-16 (PowerShell) or with a UTF-8 byte-order mark as the same text', async () => {
    const text = capture()
    const read = async (input: Readable) => {
      const {yaml, summary} = await importFtrace(input, {}, 'c.txt')
      return {yaml, summary}
    }
    const plain = await read(stream(text))
    // In small chunks, so that a character or the gzip header falls across two of them.
    const chunked = (b: Buffer) => Readable.from(Array.from({length: Math.ceil(b.length / 7)}, (_, i) => b.subarray(i * 7, i * 7 + 7)))
    const saved = [gzipSync(text), Buffer.from(`\ufeff${text}`, 'utf16le'), Buffer.from(`\ufeff${text}`, 'utf8'), gzipSync(Buffer.from(`\ufeff${text}`, 'utf16le'))]
    for (const bytes of saved) expect(await read(chunked(bytes))).toEqual(plain)
  })

  it('names a binary recording or a cut-short gzip file and says what to run instead of reading it as text', async () => {
    const bytes = (b: Buffer) => Readable.from([b])
    await expect(importFtrace(bytes(Buffer.from('\x17\x08Dtracing6\0...', 'latin1')), {}, 'trace.dat')).rejects.toThrow(
      new InputError('trace.dat is a trace-cmd binary trace (trace.dat), not text: run `trace-cmd report -i trace.dat > capture.txt` and import that'),
    )
    await expect(importFtrace(bytes(Buffer.from('PERFILE2........')), {}, '<stdin>')).rejects.toThrow(/^<stdin> is a perf binary recording .* run `perf script -i perf.data > capture.txt`/)
    await expect(importFtrace(bytes(gzipSync(Buffer.from('\x17\x08Dtracing6\0...', 'latin1'))), {}, 'run.dat.gz')).rejects.toThrow(
      new InputError('run.dat.gz is a trace-cmd binary trace (trace.dat) compressed with gzip, not text: gunzip it, then run `trace-cmd report -i trace.dat > capture.txt` and import that'),
    )
    await expect(importFtrace(bytes(Buffer.from('\x7fELF\x02\x01\x01\0\0\0\0\0', 'latin1')), {}, 'a.out')).rejects.toThrow(
      new InputError('a.out is not text (a NUL byte at offset 7): a capture is the text of the trace file, trace-cmd report or perf script'),
    )
    const gz = gzipSync(capture())
    await expect(importFtrace(bytes(gz.subarray(0, gz.length - 20)), {}, 'c.txt.gz')).rejects.toThrow(new InputError('c.txt.gz is not a whole gzip file (unexpected end of file): was it cut short?'))
  })

  it('is deterministic: the same capture and options give the same YAML', async () => {
    const a = await importFtrace(stream(capture()), {}, 'small.txt')
    const b = await importFtrace(stream(capture()), {}, 'small.txt')
    expect(a.yaml).toBe(b.yaml)
  })

  it('keeps references held since before the capture (refcnt minus the base), and --refcnt-base 0 counts the base as one', async () => {
    expect((await importFtrace(stream(capture(2)), {}, 'x.txt')).scenario.modules[0].refs).toBe(2)
    expect((await importFtrace(stream(capture(2)), {refcntBase: 0}, 'x.txt')).scenario.modules[0].refs).toBe(3)
  })

  it('ignores refcnt= on a kernel older than 3.19, whose per-CPU counter says nothing of the total', async () => {
    const old = `Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder) #1 SMP\n${capture(2)}`
    const {scenario, document} = await importFtrace(stream(old), {}, 'x.txt')
    expect(scenario.modules[0].refs).toBe(0)
    expect((document.source as string[]).join('\n')).toContain('kernel 3.10.0-1160.el7.x86_64')
    expect((await importFtrace(stream(old), {refcntBase: 1}, 'x.txt')).scenario.modules[0].refs).toBe(2)
  })

  it('counts lines it does not understand, by event, and names malformed lines by number; none of them is fatal', async () => {
    const extra = [
      ev('app-7', 0, '.....', 40, 'sched_stat_runtime: comm=app pid=7 runtime=1000 [ns] vruntime=5 [ns]'),
      ev('app-7', 0, '.....', 41, 'sched_stat_runtime: comm=app pid=7 runtime=1000 [ns] vruntime=6 [ns]'),
      ev('app-7', 0, '.....', 42, 'module_get: m refcnt=x'),
      'CPU:0 [LOST 12 EVENTS]',
    ]
    const {summary} = await importFtrace(stream(capture(0, extra)), {}, 'x.txt')
    expect(summary).toContain('skipped 2 event lines kreplay does not read: 2 sched_stat_runtime')
    expect(summary).toContain('1 malformed line skipped: line 11: expected module_get: NAME call_site=SYMBOL refcnt=N')
    expect(summary).toContain('1 line not understood (neither a header nor an event line): line 12')
  })

  it('uses only the events in --window', async () => {
    const {document, summary} = await importFtrace(stream(capture()), {window: parseWindow('100.00005..')}, 'x.txt')
    expect(summary).toContain('skipped 4 event lines outside --window')
    expect((document.tasks as {name: string}[]).map((t) => t.name)).toEqual(['app-7', 'rmmod'])
    expect(document.horizon).toBe('1.04ms')
  })

  it('makes a module the capture loads start unloaded, and insmod and rmmod tasks of the loading and freeing tasks', async () => {
    const text = [
      ...HEAD,
      ev('modprobe-9', 1, '.....', 0, 'module_load: m O'),
      ...capture().split('\n').slice(HEAD.length),
      ev('rmmod-11', 1, '.....', 200, 'module_free: m'),
    ].join('\n')
    const {scenario} = await importFtrace(stream(text), {}, 'x.txt')
    expect(scenario.modules[0].loaded).toBe(false)
    expect(scenario.tasks.filter((t) => t.program.some((op) => op.op === 'insmod' || op.op === 'rmmod')).map((t) => [t.name, t.start, t.program])).toEqual([
      ['modprobe-9', 0, [{op: 'insmod', module: 'm'}]],
      ['rmmod-11', 200_000, [{op: 'rmmod', module: 'm', wait: false, force: false}]],
    ])
  })

  it('imports a capture with no module events, removing --module (or dummy) while its tasks run', async () => {
    const text = capture().split('\n').filter((l) => !l.includes('module_'))
    const plain = await importFtrace(stream(text.join('\n')), {}, 'x.txt')
    expect(plain.scenario.modules.map((m) => m.name)).toEqual(['dummy'])
    expect(plain.summary[0]).toContain('module dummy (no module events in the capture: a module no one uses)')
    const named = await importFtrace(stream(text.join('\n')), {module: 'nvme'}, 'x.txt')
    expect(named.scenario.tasks.find((t) => t.name === 'rmmod')?.program).toEqual([{op: 'rmmod', module: 'nvme', wait: false, force: false}])
  })

  it("reads perf script's header for the kernel and the CPU count", async () => {
    const perf = [
      '# ========',
      '# os release : 6.1.0-13-amd64',
      '# nrcpus avail : 4',
      '# ========',
      '#',
      '          iperf3  4000 [000]    66.846220: module:module_get: e1000e call_site=e1000_xmit_frame [e1000e] refcnt=2',
      '          iperf3  4000 [000]    66.846226: module:module_put: e1000e call_site=e1000_xmit_frame [e1000e] refcnt=1',
    ].join('\n')
    const {scenario} = await importFtrace(stream(perf), {}, 'perf.txt')
    expect(scenario.machine.cpus).toBe(4)
    expect(scenario.source[0]).toBe('ftrace capture perf.txt: perf script, 7 lines, kernel 6.1.0-13-amd64')
  })

  it('is an input error, saying what it looked for, when the capture has no task or module events', async () => {
    const text = [...HEAD, ev('app-7', 0, '.....', 1, 'sched_stat_runtime: comm=app pid=7 runtime=1 [ns] vruntime=5 [ns]')].join('\n')
    const error = await importFtrace(stream(text), {}, 'empty.txt').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe(
      'empty.txt: no task or module events: looked for sched_switch, sched_wakeup, module_get, module_put (sched: and module: tracepoints) in 5 lines; see docs/import.md for how to record them',
    )
  })

  it('is an input error naming the line when --cpus or the header is below a CPU the capture names, or the file does not exist', async () => {
    const onCpu1 = capture(0, [ev('<idle>-0', 1, 'dNh2.', 50, 'sched_wakeup: comm=app pid=7 prio=120 target_cpu=001')])
    await expect(importFtrace(stream(onCpu1), {cpus: 1}, 'x.txt')).rejects.toThrow('x.txt:9:19: CPU 1, but --cpus says the machine has 1 CPUs; pass --cpus 2 or more')
    const headerOf1 = capture(0, [ev('<idle>-0', 1, 'dNh2.', 50, 'sched_wakeup: comm=app pid=7 prio=120 target_cpu=001')]).replace('#P:2', '#P:1')
    await expect(importFtrace(stream(headerOf1), {}, 'x.txt')).rejects.toThrow('x.txt:9:19: CPU 1, but the header (line 3) says the machine has 1 CPUs; pass --cpus 2 or more')
    const beyond = capture(0, [ev('<idle>-0', 5000, 'dNh2.', 50, 'sched_wakeup: comm=app pid=7 prio=120 target_cpu=001')])
    await expect(importFtrace(stream(beyond), {cpus: 4096}, 'x.txt')).rejects.toThrow(/CPU 5000, but --cpus says the machine has 4096 CPUs; kreplay models at most 4096 CPUs$/)
    await expect(importFtrace('no/such/capture.txt')).rejects.toThrow('no capture file "no/such/capture.txt"')
  })
})
