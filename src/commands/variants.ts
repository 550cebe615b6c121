import {KreplayCommand} from '../cli/base-command.ts'
import {loadVariant, shippedIds} from '../variants/registry.ts'

export default class Variants extends KreplayCommand {
  static override description = 'List the shipped variants with their era and sources'

  async run(): Promise<void> {
    await this.parse(Variants)
    let out = ''
    for (const id of shippedIds()) {
      const {meta} = await loadVariant(id)
      out += `${meta.id}: ${meta.title}\n  ${meta.date}, kernels ${meta.kernels}; ${meta.authors.join(', ')}\n`
      out += `  fixed: ${meta.fixed}\n  broke: ${meta.broke}\n`
      for (const s of meta.sources) out += `  source: ${s}\n`
    }
    process.stdout.write(out)
  }
}
