import {KreplayCommand} from '../cli/base-command.ts'
import {loadTrace} from '../scenario/load.ts'
import {shippedTraceFiles, traceName} from '../scenario/shipped.ts'

export default class Traces extends KreplayCommand {
  static override description = 'List the shipped traces with their titles and sources'

  static override examples = ['<%= config.bin %> traces', '<%= config.bin %> traces --json']

  async run(): Promise<void> {
    await this.parse(Traces)
    const traces = shippedTraceFiles().map((file) => {
      const s = loadTrace(file)
      return {name: traceName(file), title: s.title, cpus: s.machine.cpus, source: [...s.source]}
    })
    if (this.jsonEnabled()) {
      this.printJson('traces', 1, {traces})
      return
    }
    let out = ''
    for (const t of traces) {
      out += `${t.name}\n  ${t.title}\n`
      for (const src of t.source) out += `  source: ${src}\n`
    }
    process.stdout.write(out)
  }
}
