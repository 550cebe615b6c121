import {describe, expect, it} from 'vitest'
import type {VariantMeta} from '../../src/engine/variant.ts'
import {renderVariantHistory} from '../../src/render/variant-history.ts'
import {loadVariant, shippedIds} from '../../src/variants/registry.ts'

const meta = (id: string, kernels: string): VariantMeta => ({id, title: id, authors: [], date: '2004', kernels, sources: [], fixed: `${id} fixed`, broke: `${id} broke`})

describe('variants --history', () => {
  it('steps each design from the last mainline one before it, so never-merged designs branch off', () => {
    const text = renderVariantHistory([meta('a', '2.6.0'), meta('side', 'never merged'), meta('b', '2.6.4')])
    expect(text.split('\n').filter((l) => l.includes('kreplay patch'))).toEqual(['    kreplay patch a side', '    kreplay patch a b'])
    expect(text).toContain(' 2. side: never merged, 2004\n')
    expect(text).toContain('    fixed: b fixed\n    broke: b broke\n')
  })

  it('lists every shipped variant, in the registry\'s kernel order', async () => {
    const metas = await Promise.all(shippedIds().map(async (id) => (await loadVariant(id)).meta))
    const ids = [...renderVariantHistory(metas).matchAll(/^ *\d+\. ([a-z0-9-]+):/gm)].map((m) => m[1])
    expect(ids).toEqual(shippedIds())
  })
})
