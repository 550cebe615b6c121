import {readFileSync} from 'node:fs'
import {expect} from 'vitest'
import {checkTrace} from '../../src/check/check.ts'
import {exploreFindingSearch} from '../../src/explore/finding-search.ts'
import {importFtrace} from '../../src/import/import-ftrace.ts'
import type {ImportOptions} from '../../src/import/import-options.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {loadVariant, shippedIds} from '../../src/variants/registry.ts'

/** A fixture capture under test/fixtures/ftrace: `<name>.txt`, its golden `<name>.yaml` and `<name>.expect.yaml`. */
export const fixture = (name: string, ext: string) => `test/fixtures/ftrace/${name}.${ext}`

/**
 * Imports the fixture capture `name` with `options`, asserts the trace equals the golden
 * YAML beside it byte for byte, then checks the golden trace with the expectations of
 * `<name>.expect.yaml` against every shipped variant, as `kreplay check` would (schedule
 * search for `by: explore`). Returns the import's summary lines.
 */
export async function checkFixture(name: string, options: ImportOptions): Promise<readonly string[]> {
  const imported = await importFtrace(fixture(name, 'txt'), options)
  const golden = readFileSync(fixture(name, 'yaml'), 'utf8')
  expect(imported.yaml).toBe(golden)
  const withExpect = parseTrace(golden + readFileSync(fixture(name, 'expect.yaml'), 'utf8'), fixture(name, 'yaml'))
  const variants = await Promise.all(shippedIds().map((id) => loadVariant(id)))
  const outcomes = checkTrace(withExpect, variants, exploreFindingSearch())
  expect(outcomes.map((o) => o.variant).sort()).toEqual([...shippedIds()].sort())
  expect(outcomes.filter((o) => !o.ok).map((o) => `${o.variant}: ${o.problems.join('; ')}`)).toEqual([])
  return imported.summary
}
