import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/**
 * The compiled twin of one of kreplay's own TypeScript sources: for `specifier` imported
 * from `parent` (a file URL), when it names a .ts file under `root`'s src/ or variants/
 * (`root` is the package root as a file URL ending in '/') whose compiled .js exists in
 * dist/, that file's URL; null for anything else.
 */
export function compiledTwin(specifier: string, parent: string | undefined, root: string): string | null {
  if (parent === undefined || !/^(\.\.?\/|\/|file:)/.test(specifier)) return null
  const url = new URL(specifier, parent).href
  if (!url.startsWith(root) || !url.endsWith('.ts')) return null
  const rel = url.slice(root.length)
  if (!rel.startsWith('src/') && !rel.startsWith('variants/')) return null
  const twin = `${root}dist/${rel.slice(0, -'.ts'.length)}.js`
  return existsSync(fileURLToPath(twin)) ? twin : null
}
