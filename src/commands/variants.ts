import {Flags} from '@oclif/core'
import {KreplayCommand} from '../cli/base-command.ts'
import {renderVariantHistory} from '../render/variant-history.ts'
import {loadVariant, shippedIds} from '../variants/registry.ts'

export default class Variants extends KreplayCommand {
  static override description = 'List the shipped variants with their era and sources'

  static override flags = {
    history: Flags.boolean({description: 'in kernel order, with what each fixed and broke and the `kreplay patch` between neighbours'}),
  }

  static override examples = ['<%= config.bin %> variants', '<%= config.bin %> variants --history', '<%= config.bin %> variants --json']

  async run(): Promise<void> {
    const {flags} = await this.parse(Variants)
    const metas = await Promise.all(shippedIds().map(async (id) => (await loadVariant(id)).meta))
    if (this.jsonEnabled()) {
      this.printJson('variants', 1, {variants: metas})
      return
    }
    if (flags.history) {
      process.stdout.write(renderVariantHistory(metas))
      return
    }
    let out = ''
    for (const meta of metas) {
      out += `${meta.id}: ${meta.title}\n  ${meta.date}, kernels ${meta.kernels}; ${meta.authors.join(', ')}\n`
      out += `  fixed: ${meta.fixed}\n  broke: ${meta.broke}\n`
      for (const s of meta.sources) out += `  source: ${s}\n`
    }
    process.stdout.write(out)
  }
}
