import {existsSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Variant} from '../engine/variant.ts'
import {suggestion} from '../scenario/did-you-mean.ts'

/** The variants shipped in variants/, in the order of the record. */
export const SHIPPED_VARIANTS = ['stopref', 'krmmod', 'stop-machine', 'lockfree-naive', 'isolcpu-skip', 'atomic-refcnt'] as const

/** The repository's variants/ folder. */
export const VARIANTS_DIR = fileURLToPath(new URL('../../variants/', import.meta.url))

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

/**
 * Loads a variant by shipped id or from a file path (TypeScript or JavaScript). The file
 * must default-export (or export `variant`) an object with `meta` and the kernel functions.
 */
export async function loadVariant(arg: string): Promise<Variant> {
  let file: string
  if (isVariantPath(arg)) {
    file = isAbsolute(arg) ? arg : resolve(process.cwd(), arg)
    if (!existsSync(file)) throw new UnknownVariantError(`variant file not found: ${arg}`)
  } else {
    if (!shippedIds().includes(arg)) {
      throw new UnknownVariantError(`unknown variant "${arg}"${suggestion(arg, shippedIds())}; valid: ${shippedIds().join(', ')} (or a path to a variant file)`)
    }
    file = resolve(VARIANTS_DIR, `${arg}.ts`)
  }
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (err) {
    throw new UnknownVariantError(`cannot load variant ${arg}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const v = mod.default ?? mod.variant
  if (!isVariant(v)) {
    throw new UnknownVariantError(
      `${arg} does not export a variant: expected a default export made with defineVariant({meta, migrationClass, moduleUnloadInit, tryModuleGet, modulePut, deleteModule, stopMachine})`,
    )
  }
  return v
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
