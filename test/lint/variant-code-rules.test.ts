import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

/**
 * The rules (eslint.config.js, docs/variant-api.md) on how src/ and variants/ hand code to
 * the kernel: no generator function made at run time (each gets an object map of its own
 * that keeps the run alive through young collections), and a thread's arrow that does
 * nothing but call its generator. Lints in-memory files at real paths with the project's
 * own config, so it fails if a rule is dropped or narrowed.
 */
const eslint = new ESLint({
  ruleFilter: ({ruleId}) => ruleId === 'no-restricted-syntax',
  overrideConfig: {languageOptions: {parserOptions: {projectService: false}}},
})

async function errorLines(filePath: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, {filePath})
  return result.messages.map((m) => m.line)
}

describe('the run-time generator rule', () => {
  it('refuses a generator function made inside a function, expression, declaration or method, in a variant and in the engine', async () => {
    const returned = 'export function stopref(cpu: number) {\n  return function* (k: unknown) {\n    yield [k, cpu]\n  }\n}\n'
    expect(await errorLines('variants/rule-fixture.ts', returned)).toEqual([2])
    expect(await errorLines('src/engine/rule-fixture.ts', returned)).toEqual([2])
    const declared = 'export function boot(n: number) {\n  function* stopper() {\n    yield n\n  }\n  return stopper\n}\n'
    expect(await errorLines('variants/rule-fixture.ts', declared)).toEqual([2])
    const method = 'export function make(n: number) {\n  return {*work() {\n    yield n\n  }}\n}\n'
    expect(await errorLines('variants/rule-fixture.ts', method)).toEqual([2])
  })

  it('refuses a generator function in a class field, made for each instance', async () => {
    expect(await errorLines('src/engine/rule-fixture.ts', 'export class A {\n  work = function* () {\n    yield 1\n  }\n}\n')).toEqual([2])
  })

  it('accepts a module-level generator given its data through an arrow, and a variant object\'s generator methods', async () => {
    const code = 'function* stopref(k: unknown, cpu: number) {\n  yield [k, cpu]\n}\nexport const thread = (cpu: number) => (k: unknown) => stopref(k, cpu)\nexport default {*tryModuleGet() {\n  yield 1\n}}\n'
    expect(await errorLines('variants/rule-fixture.ts', code)).toEqual([])
  })
})

describe("the thread-arrow rule", () => {
  const thread = (arrow: string): string => `function* stopref(k: unknown, cpu: number) {\n  yield [k, cpu]\n}\nexport function* spawn(k: {kernelThread(fn: unknown, name: string): Generator}, cpu: number, n: {i: number}) {\n  yield* k.kernelThread(${arrow}, 'krmmod')\n}\n`

  it('refuses an arrow handed to a thread call that does more than call its generator with its data', async () => {
    for (const arrow of ['(kk) => { n.i++; return stopref(kk, cpu) }', '(kk) => stopref(kk, n.i++)', '(kk) => stopref(kk, Math.max(cpu, 0))', '(kk) => (n.i = cpu, stopref(kk, cpu))']) {
      expect(await errorLines('variants/rule-fixture.ts', thread(arrow)), arrow).toEqual([5])
    }
    expect(await errorLines('src/engine/rule-fixture.ts', thread('(kk) => stopref(kk, n.i++)'))).toEqual([5])
  })

  it("accepts one that calls its generator with the thread's data: names, fields, constants", async () => {
    for (const arrow of ['(kk) => stopref(kk, cpu)', '(kk) => stopref(kk, n.i)', '(kk) => stopref(kk, 3)']) {
      expect(await errorLines('variants/rule-fixture.ts', thread(arrow)), arrow).toEqual([])
    }
  })
})
