/**
 * What a run says when variant code breaks: the variant, simulated time, task and CPU, then
 * the error, made readable where V8's is not.
 */
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {VariantError} from '../../src/engine/variant-error.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

describe('an error in variant code', () => {
  it('a hook written as a plain function is named as such, not as V8 spells out the yield* expression', async () => {
    const sm = await loadVariant('stop-machine')
    const plain = {...sm, meta: {...sm.meta, id: 'plain'}, tryModuleGet: () => true} as unknown as typeof sm
    const run = (): unknown => runScenario(loadTraceArg('small-race'), plain)
    expect(run).toThrow(VariantError)
    expect(run).toThrow(
      /^plain: at [\d.]+ µs in getter\/0 on cpu0: yield\* of something that is not a generator: a variant hook written as a plain function that returns a value\? \(a hook is a function\*, or returns the generator of one\)$/,
    )
  })
})
