import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

/**
 * The layer rule (eslint.config.js, docs/architecture.md) is what keeps imports going down
 * the layers. These tests lint in-memory files at real paths with the project's own config,
 * so they fail if the rule is dropped, loosened or misconfigured.
 */
const eslint = new ESLint({
  // Only the layer rule, and no type information (the fixtures exist only in memory).
  ruleFilter: ({ruleId}) => ruleId === 'boundaries/dependencies',
  overrideConfig: {languageOptions: {parserOptions: {projectService: false}}},
})

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {filePath})
  return result.messages.map((m) => `${m.ruleId ?? '?'} ${m.message}`)
}

describe('the layer rule', () => {
  it('rejects an upward import (scenario importing the engine)', async () => {
    const errors = await layerErrors('src/scenario/layer-fixture.ts', "import {Engine} from '../engine/engine.ts'\nexport const e = Engine\n")
    expect(errors).toEqual([
      'boundaries/dependencies There is no policy allowing dependencies from elements of type "scenario" to elements of type "engine"',
    ])
  })

  it('rejects the core importing anything above it', async () => {
    const errors = await layerErrors('src/core/layer-fixture.ts', "import type {Scenario} from '../scenario/types.ts'\nexport type S = Scenario\n")
    expect(errors).toEqual([
      'boundaries/dependencies There is no policy allowing dependencies from elements of type "core" to elements of type "scenario"',
    ])
  })

  it('rejects a variant file importing a command layer', async () => {
    const errors = await layerErrors('variants/layer-fixture.ts', "import {compareAll} from '../src/compare/compare.ts'\nexport const c = compareAll\n")
    expect(errors).toEqual([
      'boundaries/dependencies There is no policy allowing dependencies from elements of type "variant-file" to elements of type "compare"',
    ])
  })

  it('keeps variant files to the variant API (src/api.ts), away from the engine', async () => {
    expect(await layerErrors('variants/layer-fixture.ts', "import type {Kernel} from '../src/api.ts'\nexport type K = Kernel\n")).toEqual([])
    expect(await layerErrors('variants/layer-fixture.ts', "import type {Machine} from '../src/engine/machine.ts'\nexport type M = Machine\n")).toEqual([
      'boundaries/dependencies There is no policy allowing dependencies from elements of type "variant-file" to elements of type "engine"',
    ])
  })

  it('accepts a downward import (the engine importing the core)', async () => {
    const errors = await layerErrors('src/engine/layer-fixture.ts', "import {DEFAULT_COSTS} from '../core/costs.ts'\nexport const c = DEFAULT_COSTS\n")
    expect(errors).toEqual([])
  })
})
