import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {Kernel} from '../../src/engine/kernel.ts'

/** Every method and getter along Kernel's prototype chain, by name. */
function kernelMembers(): Set<string> {
  const names = new Set<string>()
  for (let p: object | null = Kernel.prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n)
  }
  return names
}

/**
 * Kernel members that are not primitives: the queues of kthreadd and the migration
 * threads and the halves of kthread_create and set_cpus_allowed those threads run (all
 * left out of KernelApi).
 */
const NOT_PRIMITIVES = ['createQueue', 'migrationQueues', 'waitObjects', 'forkKthread', 'migrateTask']

describe('docs/variant-api.md', () => {
  const doc = readFileSync(new URL('../../docs/variant-api.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\| `k\.(\w+)/gm)].map((m) => m[1]))

  it('lists every kernel primitive, one line each, and only primitives', () => {
    const primitives = [...kernelMembers()].filter((n) => !NOT_PRIMITIVES.includes(n)).sort()
    expect([...documented].sort()).toEqual(primitives)
  })

  it('states the rule that keeps exhaustive search sound', () => {
    expect(doc).toContain('variants share state only through kernel objects')
  })
})
