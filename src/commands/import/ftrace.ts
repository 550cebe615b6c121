import {Args, Flags} from '@oclif/core'
import {KreplayCommand} from '../../cli/base-command.ts'
import {writeFileAtomic} from '../../core/write-file-atomic.ts'
import {importStdin} from '../../cli/import-stdin.ts'
import {importFtrace} from '../../import/import-ftrace.ts'
import {importOptionFlags, importOptionsFrom} from '../../cli/import-flags.ts'

export default class ImportFtrace extends KreplayCommand {
  static override description =
    'Turn a kernel trace capture (ftrace trace or trace_pipe text, trace-cmd report, perf script) into a trace every variant can run'

  static override examples = [
    '<%= config.bin %> import ftrace capture.txt -o my-machine.yaml',
    '<%= config.bin %> import ftrace - --module nvme --rmmod-at 2ms < capture.txt > nvme.yaml',
    '<%= config.bin %> import ftrace capture.txt --window 45.7..46.3 --cpus 8',
    '<%= config.bin %> import ftrace capture.txt -o my-machine.yaml --json',
  ]

  static override args = {
    capture: Args.string({required: true, description: 'the capture file (text, or gzip-compressed), or - for standard input', ignoreStdin: true}),
  }

  static override flags = {
    output: Flags.string({char: 'o', description: 'write the trace to this file (atomically) instead of standard output (- is standard output)'}),
    force: Flags.boolean({description: 'overwrite the --output file if it exists'}),
    ...importOptionFlags,
  }

  async run(): Promise<void> {
    const {args, flags: given} = await this.parse(ImportFtrace)
    // -o -: standard output, as without -o (the capture argument reads - as standard input).
    const flags = given.output === '-' ? {...given, output: undefined} : given
    const imported = args.capture === '-' ? await importStdin(importOptionsFrom(flags)) : await importFtrace(args.capture, importOptionsFrom(flags))
    for (const line of imported.summary) process.stderr.write(`kreplay: ${line}\n`)
    if (flags.output !== undefined) writeFileAtomic(flags.output, imported.yaml, flags.force)
    // --json: the summary and, without --output, the trace as YAML text (what would have been printed).
    if (this.jsonEnabled()) this.printJson('import ftrace', 1, {output: flags.output ?? null, summary: imported.summary, trace: flags.output === undefined ? imported.yaml : null})
    else if (flags.output === undefined) process.stdout.write(imported.yaml)
  }
}
