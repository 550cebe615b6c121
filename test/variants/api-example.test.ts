import {describe, expect, it} from 'vitest'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {loadVariant} from '../../src/variants/registry.ts'
import lockVariant from '../fixtures/refcount-lock.ts'
import {runInline} from '../helpers/run-inline.ts'

describe('the worked example of docs/variant-api.md', () => {
  it('is the code the document shows', () => {
    const doc = readFileSync(new URL('../../docs/variant-api.md', import.meta.url), 'utf8')
    const fixture = readFileSync(new URL('../fixtures/refcount-lock.ts', import.meta.url), 'utf8')
    const body = fixture.split('\n').slice(1).join('\n').replaceAll('../../', '/path/to/kreplay/')
    expect(doc).toContain(body.trimEnd())
  })

  it('loads from its file as a user\'s variant does, by path', async () => {
    const v = await loadVariant(fileURLToPath(new URL('../fixtures/refcount-lock.ts', import.meta.url)))
    expect(v).toBe(lockVariant)
  })

  it('removes an idle module without stopping any CPU, and refuses a busy one', async () => {
    const trace = (refs: number) => `kreplay: 1
name: t
horizon: 10ms
machine: {cpus: 2}
modules: [{name: m, refs: ${refs}}]
tasks: [{name: rmmod, program: [{rmmod: m}]}]
`
    const idle = await runInline(trace(0), lockVariant)
    expect(idle.log.map((l) => l.what)).toContain('delete_module(m) = 0')
    expect(idle.result.metrics.cpus_stopped).toBe(0)
    const busy = await runInline(trace(1), lockVariant)
    expect(busy.log.map((l) => l.what)).toContain('delete_module(m) = -11 (EWOULDBLOCK)')
    expect(busy.result.findings).toEqual([])
  })
})
