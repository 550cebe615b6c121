import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {cli} from '../helpers/cli.ts'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'kreplay-hostile-'))

describe('a variant file that misbehaves', () => {
  it('allocating without bound ends in one line naming the heap limit, which --max-memory sets, exit 2', () => {
    const f = join(dir, 'alloc.ts')
    writeFileSync(f, `import sm from '${repo}variants/stop-machine.ts'\nexport default {...sm, meta: {...sm.meta, id: 'hoarder'}, *tryModuleGet(k) { const a = []; for (;;) { a.push(new Array(1e6).fill(1)); yield* k.step() } }}\n`)
    // The heap may grow to --max-memory plus 1024 MiB (3072 by default): 1088 MiB here.
    const r = cli('run', 'io-storm', '--variant', f, '--timeout', '60', '--max-memory', '64')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`kreplay: ${f}: the simulation's heap grew past 1088 MiB: variant code that allocates without bound? (raise --max-memory if the trace needs more)\n`)
  }, 120_000)
})
