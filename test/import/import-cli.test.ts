import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {BIN, cliIn, runCli, type CliResult} from '../helpers/cli.ts'

const NIC = 'test/fixtures/ftrace/nic-irq.txt'

/** The real CLI in a child process, with `input` on its stdin (for `-`). */
function piped(args: string[], input: string): CliResult {
  return cliIn({cwd: process.cwd(), input}, ...args)
}

/** A kreplay command line run in this process (`import ftrace` is the command import/ftrace). */
function kreplay(args: string[]): Promise<CliResult> {
  return args[0] === 'import' ? runCli(`import/${args[1]}`, ...args.slice(2)) : runCli(args[0], ...args.slice(1))
}

describe('kreplay import ftrace', () => {
  it('prints the trace on stdout and the summary on stderr; reads - from stdin', async () => {
    const file = await kreplay(['import', 'ftrace', NIC, '--rmmod-at', '66.846717'])
    expect(file.code).toBe(0)
    expect(file.stdout).toBe(readFileSync('test/fixtures/ftrace/nic-irq.yaml', 'utf8'))
    expect(file.stderr).toContain('kreplay: imported test/fixtures/ftrace/nic-irq.txt (perf script)')
    // -o -: standard output too, not a file named -.
    expect((await kreplay(['import', 'ftrace', NIC, '--rmmod-at', '66.846717', '-o', '-'])).stdout).toBe(file.stdout)
    const stdin = piped(['import', 'ftrace', '-', '--rmmod-at', '66.846717'], readFileSync(NIC, 'utf8'))
    expect(stdin.code).toBe(0)
    expect(stdin.stdout).toContain('ftrace capture <stdin>: perf script')
  })

  it('ends a live capture on stdin at Ctrl-C and imports what was read', {timeout: 60_000}, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kreplay-import-')), 'live.yaml')
    const whole = piped(['import', 'ftrace', '-', '--rmmod-at', '66.846717'], readFileSync(NIC, 'utf8'))
    // stdin stays open, as trace_pipe does; the handler is installed once data has come.
    const child = spawn(process.execPath, [BIN, 'import', 'ftrace', '-', '--rmmod-at', '66.846717', '-o', out], {stdio: ['pipe', 'pipe', 'pipe']})
    let stderr = ''
    let sent = false
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (!sent && stderr.includes('Ctrl-C ends it where it is\n')) sent = child.kill('SIGINT')
    })
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    child.stdin.write(readFileSync(NIC))
    expect(await closed).toBe(0)
    expect(stderr).toMatch(/^kreplay: reading the capture on standard input; Ctrl-C ends it where it is\nkreplay: SIGINT: stopping with what was done so far/)
    expect(readFileSync(out, 'utf8')).toBe(whole.stdout)
  })

  it('writes -o atomically, and refuses an existing file without --force (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-import-'))
    const out = join(dir, 'trace.yaml')
    expect((await kreplay(['import', 'ftrace', NIC, '-o', out])).code).toBe(0)
    const first = readFileSync(out, 'utf8')
    writeFileSync(out, 'mine')
    const refused = await kreplay(['import', 'ftrace', NIC, '-o', out])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`kreplay: ${out} already exists; pass --force to replace it`)
    expect(readFileSync(out, 'utf8')).toBe('mine')
    expect((await kreplay(['import', 'ftrace', NIC, '-o', out, '--force'])).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(first)
  })

  it('exits 2 naming what it looked for when the capture has no task or module events, and on a bad --window, --module or --rmmod-at', async () => {
    const empty = piped(['import', 'ftrace', '-'], '# tracer: nop\n#\n')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('kreplay: <stdin>: no task or module events: looked for sched_switch, sched_wakeup, module_get, module_put')
    const window = await kreplay(['import', 'ftrace', NIC, '--window', '5'])
    expect(window.code).toBe(2)
    expect(window.stderr).toContain('--window "5": expected FROM..TO')
    const module = await kreplay(['import', 'ftrace', NIC, '--module', ''])
    expect(module.code).toBe(2)
    expect(module.stderr).toBe('kreplay: --module: expected a module name (letters, digits, _ and -), got ""\n')
    // Outside the capture: it used to be moved to 0 (before) or left past the trace's end (after).
    for (const at of ['10', '2ms']) {
      const rmmod = await kreplay(['import', 'ftrace', NIC, '--rmmod-at', at])
      expect(rmmod.code).toBe(2)
      expect(rmmod.stderr).toMatch(/^kreplay: --rmmod-at: [\d.]+ s is outside the events imported, 66\.846215 to 66\.847199 s \(an offset from 0 to 984us\)\n$/)
    }
  })
})

describe('--ftrace on compare and run', () => {
  it('compare --ftrace prints the side-by-side table for the capture alone', async () => {
    const r = await kreplay(['compare', '--ftrace', NIC, '--variants', 'stop-machine,atomic-refcnt'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^nic-irq {2}\(2 CPUs, seed 1\)\n {2}ftrace capture test\/fixtures\/ftrace\/nic-irq\.txt: 2 tasks, 1 irq, module e1000e\n/)
    expect(r.stdout).toMatch(/\nstop-machine +none +\S+ µs/)
    expect(r.stdout).toMatch(/\nsummary\ntrace +stop-machine +atomic-refcnt\n─+\nnic-irq +ok +ok\n/)
  })

  it('run --ftrace runs the capture against one variant; a trace and --ftrace together are a usage error', async () => {
    const r = await kreplay(['run', '--ftrace', NIC, '--variant', 'stop-machine'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^nic-irq × stop-machine \(seed 1\)/)
    const both = await kreplay(['run', 'io-storm', '--ftrace', NIC, '--variant', 'stop-machine'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give a trace, or a capture with --ftrace (one of them)')
  })

  it('run --ftrace - reads the capture from stdin; stdin is never taken for a missing argument', async () => {
    // oclif reads a missing argument from piped stdin unless told not to: the capture became
    // the trace argument ("give a trace, or a capture"), and a trace name could be piped in.
    const capture = readFileSync(NIC, 'utf8')
    const fromFile = await kreplay(['run', '--ftrace', NIC, '--variant', 'stop-machine'])
    const fromStdin = piped(['run', '--ftrace', '-', '--variant', 'stop-machine'], capture)
    expect(fromStdin.code).toBe(0)
    expect(fromStdin.stdout).toBe(fromFile.stdout.replace(/^nic-irq/, 'stdin'))
    const named = piped(['run', '--variant', 'stop-machine'], 'small-race\n')
    expect(named.code).toBe(2)
    expect(named.stderr).toContain('give a trace, or a capture with --ftrace (one of them)')
    const missing = piped(['import', 'ftrace'], capture)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('Missing 1 required arg: capture')
  })

  it('report --ftrace writes the report of the capture, with the command that regenerates it; --explore asks for a trace file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kreplay-import-')), 'r')
    const r = await kreplay(['report', '--ftrace', NIC, '--variants', 'stop-machine', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('wrote '))).toHaveLength(4)
    const md = readFileSync(join(out, 'report.md'), 'utf8')
    expect(md).toContain(`kreplay report --ftrace ${NIC} --variants stop-machine --out ${out}`)
    expect(md).toContain('### nic-irq')
    const explore = await kreplay(['report', '--ftrace', NIC, '--explore', '--out', join(out, 'x')])
    expect(explore.code).toBe(2)
    expect(explore.stderr).toContain(`--explore searches trace files: write the capture as one with kreplay import ftrace ${NIC} -o capture.yaml`)
  })
})
