import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * The folder of kreplay's package.json: the nearest one above this module, whether it runs
 * from the sources (src/core/) or compiled (dist/src/core/). Files the package ships beside
 * the code (package.json, traces/, variants/, docs/) are found from here, never by a fixed
 * number of `../`.
 */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))

/** Whether this code runs compiled (dist/, JavaScript) rather than from the TypeScript sources. */
export const COMPILED = import.meta.url.endsWith('.js')

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d
    if (dirname(d) === d) throw new Error(`kreplay: no package.json above ${dir}`)
  }
}
