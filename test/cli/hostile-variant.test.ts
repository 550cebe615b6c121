import {describe, expect, it} from 'vitest'
import {cli} from '../helpers/cli.ts'
import {variantFolder} from '../helpers/user-variant-file.ts'

const {variant} = variantFolder()

describe('a variant file that misbehaves', () => {
  it('allocating without bound ends in one line naming the heap limit, which --max-memory sets, exit 2', () => {
    // 40 MB a step: past the 16 MiB of leeway Node gives a worker thread at its heap limit,
    // where V8 aborted the whole process (when the watched command ran in a worker thread).
    const f = variant('alloc.ts', `export default {...sm, meta: {...sm.meta, id: 'hoarder'}, *tryModuleGet(k) { const a = []; for (;;) { a.push(new Array(5e6).fill(1)); yield* k.step() } }}`)
    // The heap may grow to --max-memory plus 1024 MiB (3072 by default): 1088 MiB here.
    const r = cli('run', 'io-storm', '--variant', f, '--timeout', '60', '--max-memory', '64')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`kreplay: ${f}: the simulation's heap grew past 1088 MiB: variant code that allocates without bound? (raise --max-memory if the trace needs more)\n`)
  }, 120_000)
})
