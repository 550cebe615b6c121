import Module, {register} from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'
import {compiledTwin} from './compiled-twin.ts'

/** A file name tsx must compile before Node can import it. */
const TYPESCRIPT = /\.[mc]?ts$/

/** CommonJS resolution, as Node (and tsx, which wraps it too) exposes it. */
type ResolveFilename = (request: string, parent: {filename?: string | null} | undefined, ...rest: unknown[]) => string

let prepared = false
let tsxRegistered = false

/**
 * Makes a user's variant file importable by a compiled kreplay (from the sources, the
 * process already runs TypeScript through tsx or vitest, and this does nothing). A
 * TypeScript file gets tsx's loaders, imported only now, so a command line that names no
 * TypeScript file never loads tsx. Any such file's imports of kreplay's own sources
 * (`/path/to/kreplay/src/api.ts`) are sent to their compiled twins in dist/, so an
 * installed package, which ships no src/, still serves them: through
 * compiled-twin-hook.ts for ES modules, which then share the running kreplay's modules,
 * and by wrapping CommonJS resolution for require(), which tsx uses for a file outside any
 * "type": "module" package and which gets its own CommonJS copy of them, as it does from
 * the sources (Node 20 has no synchronous resolve hook; tsx wraps the same function).
 * Once per thread.
 */
export async function prepareUserFile(file: string): Promise<void> {
  if (!COMPILED) return
  if (TYPESCRIPT.test(file) && !tsxRegistered) {
    tsxRegistered = true
    // Both loaders: a variant file outside any "type": "module" package is CommonJS to tsx.
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')])
    cjs.register()
    esm.register()
  }
  if (prepared) return
  prepared = true
  // Registered after tsx, so they run first and hand tsx the compiled twin.
  register(new URL('./compiled-twin-hook.js', import.meta.url), {data: {root: PACKAGE_ROOT}})
  const root = pathToFileURL(`${PACKAGE_ROOT}/`).href
  const cjs = Module as unknown as {_resolveFilename: ResolveFilename}
  const resolve = cjs._resolveFilename
  cjs._resolveFilename = function (this: unknown, request, parent, ...rest) {
    const from = parent?.filename ? pathToFileURL(parent.filename).href : undefined
    const twin = compiledTwin(request, from, root)
    return resolve.call(this, twin === null ? request : fileURLToPath(twin), parent, ...rest)
  }
}
