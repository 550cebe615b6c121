import {Args} from '@oclif/core'
import {KreplayCommand} from '../cli/base-command.ts'
import {variantPatch} from '../diff/variant-source.ts'

export default class Patch extends KreplayCommand {
  static override description = 'Print the unified diff between two variants\' source files: how the design moved in history'

  static override examples = ['<%= config.bin %> patch stopref krmmod', '<%= config.bin %> patch stop-machine ./my-variant.ts', '<%= config.bin %> patch stop-machine isolcpu-skip --json']

  static override args = {
    variantA: Args.string({required: true, description: 'the old design: a shipped variant id or a path', ignoreStdin: true}),
    variantB: Args.string({required: true, description: 'the new design: a shipped variant id or a path', ignoreStdin: true}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Patch)
    const patch = variantPatch(args.variantA, args.variantB)
    if (this.jsonEnabled()) this.printJson('patch', 1, {a: args.variantA, b: args.variantB, patch})
    else process.stdout.write(patch)
  }
}
