import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {variantList} from '../../src/cli/variants-flag.ts'
import {InputError} from '../../src/core/input-error.ts'

describe('variantList (the --variants flag, split at commas by oclif)', () => {
  it('keeps the order first given, each once, and drops empty items', () => {
    expect(variantList(['stopref', ' krmmod ', '', 'stopref'])).toEqual(['stopref', 'krmmod'])
    expect(variantList(undefined)).toEqual([])
  })

  it('puts back together a variant file whose path the split cut at its commas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-comma-'))
    const file = join(dir, 'v1,2,3.ts')
    writeFileSync(file, '')
    expect(variantList(['stopref', join(dir, 'v1'), '2', '3.ts', 'krmmod'])).toEqual(['stopref', file, 'krmmod'])
    expect(variantList([join(dir, 'v9'), '2'])).toEqual([join(dir, 'v9'), '2'])
    // An item that names a file on its own stays as it is.
    writeFileSync(join(dir, 'v1'), '')
    expect(variantList([join(dir, 'v1'), '2', '3.ts'])).toEqual([join(dir, 'v1'), '2', '3.ts'])
  })

  it('refuses a flag given with nothing in it', () => {
    expect(() => variantList([''])).toThrow(InputError)
  })
})
