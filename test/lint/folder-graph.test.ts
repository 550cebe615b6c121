import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The folder a source file belongs to: `src/<folder>`, `src/api.ts`, or `variants`. */
function folderOf(file: string): string {
  const rel = relative(ROOT, file).split('\\').join('/')
  if (rel.startsWith('variants/')) return 'variants/'
  const parts = rel.split('/')
  return parts.length > 2 ? `src/${parts[1]}` : rel
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name))
}

/** Folder-level import edges of src/ and variants/, from the relative imports in each file. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'variants'))]) {
    const from = folderOf(file)
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gm)) {
      const to = folderOf(resolve(dirname(file), m[1]))
      if (to === from) continue
      if (!graph.has(from)) graph.set(from, new Set())
      graph.get(from)!.add(to)
    }
  }
  return graph
}

/** A cycle in the graph as a list of folders, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n]
    state.set(n, 'open')
    path.push(n)
    for (const m of graph.get(n) ?? []) {
      const c = visit(m)
      if (c) return c
    }
    path.pop()
    state.set(n, 'done')
    return null
  }
  for (const n of graph.keys()) {
    const c = visit(n)
    if (c) return c
  }
  return null
}

describe('the folder-level import graph', () => {
  it('has no cycle', () => {
    const graph = folderGraph()
    expect(findCycle(graph)).toBeNull()
  })

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]])
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a'])
  })

  it('keeps the bottom layers free of imports from above', () => {
    const graph = folderGraph()
    expect([...(graph.get('src/core') ?? [])]).toEqual([])
    expect([...(graph.get('src/scenario') ?? [])].sort()).toEqual(['src/core'])
    expect([...(graph.get('variants/') ?? [])]).toEqual(['src/api.ts'])
  })
})
