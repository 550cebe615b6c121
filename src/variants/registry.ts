import {existsSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'
import {watchedSection} from '../engine/heartbeat.ts'
import type {Variant} from '../engine/variant.ts'
import {loadFailure} from './load-failure.ts'
import {prepareUserFile} from './prepare-user-file.ts'
import {suggestion} from '../scenario/did-you-mean.ts'

/** The variants shipped in variants/, in the order of the record. */
export const SHIPPED_VARIANTS = [
  'stopref',
  'krmmod',
  'stop-machine-run',
  'isolcpu-skip',
  'lockfree-naive',
  'stop-machine-kthreads',
  'sync-sched-wait',
  'stop-machine',
  'isolcpu-skip-cpustop',
  'atomic-refcnt',
] as const

/** The package's variants/ folder: the shipped variants' TypeScript sources. */
export const VARIANTS_DIR = resolve(PACKAGE_ROOT, 'variants')

/** A variant name or path that does not resolve to a variant. */
export class UnknownVariantError extends Error {}

/** Whether a --variant argument names a file rather than a shipped id. */
export function isVariantPath(arg: string): boolean {
  return arg.includes('/') || /\.(ts|js|mjs|mts)$/.test(arg)
}

/** The shipped ids whose file exists (so a partial checkout still lists what it has). */
export function shippedIds(): string[] {
  return SHIPPED_VARIANTS.filter((id) => existsSync(resolve(VARIANTS_DIR, `${id}.ts`)))
}

/** The id each shipped variant was loaded by (loadVariant). */
const shippedIdOf = new WeakMap<Variant, string>()

/**
 * The id a shipped variant was loaded by, for a worker thread to load it again;
 * undefined for a variant from a user's file (which runs where it is watched,
 * src/cli/watch.ts) or one made in memory.
 */
export function shippedVariantId(v: Variant): string | undefined {
  return shippedIdOf.get(v)
}

/**
 * Loads a variant by shipped id or from a file path (TypeScript or JavaScript). The file
 * must default-export (or export `variant`) an object with `meta` and the kernel functions.
 */
export async function loadVariant(arg: string): Promise<Variant> {
  let url: string
  if (isVariantPath(arg)) {
    const file = isAbsolute(arg) ? arg : resolve(process.cwd(), arg)
    if (!existsSync(file)) throw new UnknownVariantError(`variant file not found: ${arg}`)
    url = pathToFileURL(file).href
  } else {
    if (!shippedIds().includes(arg)) {
      throw new UnknownVariantError(`unknown variant "${arg}"${suggestion(arg, shippedIds())}; valid: ${shippedIds().join(', ')} (or a path to a variant file)`)
    }
    url = shippedModule(arg)
  }
  let mod: Record<string, unknown>
  try {
    if (isVariantPath(arg)) await prepareUserFile(url)
    // A user's file runs its own top-level code here: watched, as a run is (heartbeat.ts).
    mod = (await (isVariantPath(arg) ? watchedSection(() => import(url)) : import(url))) as Record<string, unknown>
  } catch (err) {
    throw new UnknownVariantError(await loadFailure(err, arg, url))
  }
  const exports = esExports(mod)
  const v = exports.default ?? exports.variant
  if (!isVariant(v)) {
    throw new UnknownVariantError(
      `${arg} does not export a variant: expected a default export made with defineVariant({meta, migrationClass, moduleUnloadInit, tryModuleGet, modulePut, deleteModule, stopMachine})`,
    )
  }
  if (!isVariantPath(arg)) shippedIdOf.set(v, arg)
  return v
}

/** A shipped variant's module: its source, or its compiled twin in dist/ when this code runs compiled. */
function shippedModule(id: string): string {
  return pathToFileURL(COMPILED ? resolve(PACKAGE_ROOT, 'dist', 'variants', `${id}.js`) : resolve(VARIANTS_DIR, `${id}.ts`)).href
}

/**
 * A module's ES exports. tsx compiles a variant file outside any "type": "module" package
 * to CommonJS, and import() then gives module.exports as `default`: its properties are the
 * file's exports (esbuild marks them `__esModule`). Code tsx compiled unwraps this itself;
 * compiled kreplay does it here.
 */
function esExports(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default as Record<string, unknown> | null | undefined
  return typeof d === 'object' && d !== null && d.__esModule === true ? d : mod
}

function isVariant(v: unknown): v is Variant {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  const meta = o.meta as Record<string, unknown> | undefined
  return (
    typeof meta === 'object' &&
    typeof meta.id === 'string' &&
    ['moduleUnloadInit', 'tryModuleGet', 'modulePut', 'deleteModule', 'stopMachine'].every((f) => typeof o[f] === 'function')
  )
}
