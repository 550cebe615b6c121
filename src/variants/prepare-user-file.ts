import {register} from 'node:module'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'

/** A file name tsx must compile before Node can import it. */
const TYPESCRIPT = /\.[mc]?ts$/

let hookRegistered = false
let tsxRegistered = false

/**
 * Makes a user's variant file importable by a compiled kreplay (from the sources, the
 * process already runs TypeScript through tsx or vitest, and this does nothing). Any such
 * file gets compiled-twin-hook.ts, so its imports of kreplay's sources reach the running
 * compiled modules; a TypeScript file also gets tsx's loaders, imported only now, so a
 * command line that names no TypeScript file never loads tsx. Once per thread.
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
  if (!hookRegistered) {
    hookRegistered = true
    // Registered after tsx, so it runs first: it hands tsx the compiled twin's URL.
    register(new URL('./compiled-twin-hook.js', import.meta.url), {data: {root: PACKAGE_ROOT}})
  }
}
