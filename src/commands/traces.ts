import {KreplayCommand} from '../cli/base-command.ts'
import {loadTrace} from '../scenario/load.ts'
import {shippedTraceFiles, traceName} from '../scenario/shipped.ts'

export default class Traces extends KreplayCommand {
  static override description = 'List the shipped traces with their titles and sources'

  async run(): Promise<void> {
    await this.parse(Traces)
    let out = ''
    for (const file of shippedTraceFiles()) {
      const s = loadTrace(file)
      out += `${traceName(file)}\n  ${s.title}\n`
      for (const src of s.source) out += `  source: ${src}\n`
    }
    process.stdout.write(out)
  }
}
