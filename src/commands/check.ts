import {Args, Flags} from '@oclif/core'
import {KreplayCommand, maxMemoryFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {EXIT_FAILED} from '../cli/exit-codes.ts'
import {InputError} from '../core/input-error.ts'
import {checkAll} from '../check/check-all.ts'
import {loadTraceArg, shippedTraceFiles} from '../scenario/shipped.ts'
import {loadVariant, shippedIds} from '../variants/registry.ts'

export default class Check extends KreplayCommand {
  static override description =
    "Check each trace's expect: block against every variant; exit 1 on any mismatch"

  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check traces/affinity.yaml --variant ./my-variant.ts']

  static override strict = false

  static override args = {
    traces: Args.string({description: 'trace files or shipped trace names (default: every shipped trace)'}),
  }

  static override flags = {
    variant: Flags.string({multiple: true, description: 'also check this variant (id or file); repeatable'}),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Check)
    if (await this.watchUserVariants(flags.variant ?? [], flags.timeout)) return
    const files = (argv as string[]).length ? (argv as string[]) : shippedTraceFiles()
    if (!files.length) throw new InputError('no traces to check')
    const variants = await Promise.all([...shippedIds(), ...(flags.variant ?? [])].map((id) => loadVariant(id)))
    let failed = 0
    let checked = 0
    // `by: explore` expectations are judged on what schedule search finds (src/explore).
    await checkAll(files, (file) => loadTraceArg(file, traceLimits(flags)), variants, (o) => {
      checked++
      const what = o.found.length ? o.found.join(', ') : 'no findings'
      const how = o.by === 'explore' ? ' (by search)' : ''
      if (o.ok) {
        this.log(`ok    ${o.trace} × ${o.variant}: ${what}${how}`)
      } else {
        failed++
        this.log(`FAIL  ${o.trace} × ${o.variant}${how}`)
        for (const p of o.problems) this.log(`        ${p}`)
      }
    })
    this.log(`${checked - failed} passed, ${failed} failed`)
    if (failed) this.exit(EXIT_FAILED)
  }
}
