import {Args} from '@oclif/core'
import {KreplayCommand, maxMemoryFlag, maxStepsFlag, timeoutFlag, traceLimits} from '../cli/base-command.ts'
import {EXIT_FAILED} from '../cli/exit-codes.ts'
import {variantList, variantsFlag} from '../cli/variants-flag.ts'
import {InputError} from '../core/input-error.ts'
import {checkAll} from '../check/check-all.ts'
import type {CheckOutcome} from '../check/check.ts'
import {loadTraceArg, shippedTraceFiles} from '../scenario/shipped.ts'
import {loadVariant, shippedIds} from '../variants/registry.ts'

export default class Check extends KreplayCommand {
  static override description =
    "Check each trace's expect: block against every variant; exit 1 on any mismatch"

  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check traces/affinity.yaml --variants ./my-variant.ts', '<%= config.bin %> check small-race get-vs-remove --json']

  static override strict = false

  static override args = {
    traces: Args.string({description: 'trace files or shipped trace names (default: every shipped trace)', ignoreStdin: true}),
  }

  static override flags = {
    variants: variantsFlag('also check these variants (ids or files), separated by commas or repeated'),
    timeout: timeoutFlag,
    'max-memory': maxMemoryFlag,
    'max-steps': maxStepsFlag,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Check)
    const extra = variantList(flags.variants)
    if (await this.watchUserVariants(extra, flags)) return
    const files = (argv as string[]).length ? (argv as string[]) : shippedTraceFiles()
    if (!files.length) throw new InputError('no traces to check')
    const args = [...new Set([...shippedIds(), ...extra])]
    const variants = await Promise.all(args.map((id) => loadVariant(id)))
    const outcomes: CheckOutcome[] = []
    // `by: explore` expectations are judged on what schedule search finds (src/explore).
    await checkAll(files, (file) => loadTraceArg(file, traceLimits(flags)), variants, (o) => {
      outcomes.push(o)
      const what = o.found.length ? o.found.join(', ') : 'no findings'
      const how = o.by === 'explore' ? ' (by search)' : ''
      if (o.ok) {
        this.log(`ok    ${o.trace} × ${o.variant}: ${what}${how}`)
      } else {
        this.log(`FAIL  ${o.trace} × ${o.variant}${how}`)
        for (const p of o.problems) this.log(`        ${p}`)
      }
    }, {stepBudget: flags['max-steps']})
    const failed = outcomes.filter((o) => !o.ok).length
    const passed = outcomes.length - failed
    this.log(`${passed} passed, ${failed} failed`)
    // What a gate might take for a pass: nothing judged at all, or nothing of a variant asked for.
    if (outcomes.length === 0) process.stderr.write("kreplay: nothing was checked: no trace's expect: block names a variant or has a default\n")
    for (const [i, v] of variants.entries()) {
      if (extra.includes(args[i]) && outcomes.length > 0 && !outcomes.some((o) => o.variant === v.meta.id)) {
        process.stderr.write(`kreplay: nothing was checked for ${v.meta.id}: no trace's expect: block names it or has a default\n`)
      }
    }
    if (this.jsonEnabled()) {
      const checks = outcomes.map((o) => ({trace: o.trace, variant: o.variant, by: o.by, ok: o.ok, found: o.found, problems: o.problems}))
      this.printJson('check', 1, {passed, failed, checks})
    }
    if (failed) this.exit(EXIT_FAILED)
  }
}
