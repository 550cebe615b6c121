import {existsSync, readdirSync, statSync} from 'node:fs'
import {basename, resolve} from 'node:path'
import {InputError} from '../core/input-error.ts'
import {PACKAGE_ROOT} from '../core/package-root.ts'
import type {TraceLimits} from './footprint.ts'
import {loadTrace} from './load.ts'
import {suggestion} from './did-you-mean.ts'
import type {Scenario} from './types.ts'

/** The package's traces/ folder. */
export const TRACES_DIR = resolve(PACKAGE_ROOT, 'traces')

/** Shipped trace files, sorted by name. */
export function shippedTraceFiles(): string[] {
  if (!existsSync(TRACES_DIR)) return []
  return readdirSync(TRACES_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => resolve(TRACES_DIR, f))
}

/** A shipped trace's name: its file name without the extension. */
export function traceName(file: string): string {
  return basename(file).replace(/\.(ya?ml|json)$/, '')
}

/**
 * Resolves a trace argument: a path to a file, or the name of a shipped trace
 * (`isolated-rt-hog` for traces/isolated-rt-hog.yaml). A directory is never a trace, so
 * one named like a shipped trace (`report --out small-race` makes one) does not hide it.
 * Unknown names list the valid ones.
 */
export function resolveTrace(arg: string): string {
  const exists = existsSync(arg)
  if (exists && !statSync(arg).isDirectory()) return arg
  const shipped = shippedTraceFiles().find((f) => traceName(f) === arg)
  if (shipped) return shipped
  if (exists) return arg // a directory: loading it says so
  const names = shippedTraceFiles().map(traceName)
  throw new InputError(`no trace "${arg}"${suggestion(arg, names)}: not a file, nor a shipped trace (${names.join(', ')})`)
}

/** Loads a trace given as a path or a shipped name, within `limits`. */
export function loadTraceArg(arg: string, limits?: TraceLimits): Scenario {
  return loadTrace(resolveTrace(arg), limits)
}
