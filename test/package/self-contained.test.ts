import {describe, expect, it} from 'vitest'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {loadTrace} from '../../src/scenario/load.ts'
import {shippedTraceFiles, traceName} from '../../src/scenario/shipped.ts'
import {loadVariant, shippedIds} from '../../src/variants/registry.ts'

const ROOT = new URL('../../', import.meta.url)

/** Names of our own files that mean nothing to a user of the package. */
const OURS = /kernel-history|seeds?\/|seed 0\d\d|\d{3}_[0-9a-f]{16}|shared\//

describe('what the package ships stands on its own', () => {
  it.each(shippedTraceFiles().map((f) => [traceName(f), f]))('trace %s cites primary sources, never a file of ours', (_name, file) => {
    const {source} = loadTrace(file)
    expect(source.length).toBeGreaterThan(0)
    for (const s of source) expect(s).not.toMatch(OURS)
  })

  it.each(shippedIds())('variant %s cites primary sources, never a file of ours', async (id) => {
    const {meta} = await loadVariant(id)
    for (const s of meta.sources) expect(s).not.toMatch(OURS)
  })

  it('README and docs never link outside the package', () => {
    const docs = readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))
    for (const file of ['README.md', ...docs]) {
      const text = readFileSync(new URL(file, ROOT), 'utf8')
      expect(text, file).not.toMatch(/\]\(\.\.\//)
      expect(text, file).not.toMatch(/\.\.\/shared|kernel-history\.md/)
    }
  })
})
