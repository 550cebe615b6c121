/**
 * A module-resolution hook (`node:module` register) for a compiled kreplay: an import of
 * one of kreplay's own TypeScript sources (the .ts files under src/ and variants/), as a user's
 * variant file writes it (docs/variant-api.md), resolves to its compiled twin in dist/.
 * The variant then shares the running kreplay's modules (one kernel-state numbering, one
 * VariantError class), and an installed package, which ships no src/, still serves it.
 * Other specifiers pass through unchanged.
 */
import {existsSync} from 'node:fs'
import type {InitializeHook, ResolveHook} from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'

/** The package root as a file URL ending in '/', set by `initialize`. */
let root = ''

/** Receives the package root (a path) from the thread that registers the hook. */
export const initialize: InitializeHook<{root: string}> = (data) => {
  root = pathToFileURL(`${data.root}/`).href
}

/** Resolves a kreplay source to its compiled twin when there is one. */
export const resolve: ResolveHook = (specifier, context, nextResolve) => nextResolve(compiledTwin(specifier, context.parentURL) ?? specifier, context)

/** The dist/ URL standing for `specifier` imported from `parent`, or null. */
function compiledTwin(specifier: string, parent: string | undefined): string | null {
  if (parent === undefined || !/^(\.\.?\/|\/|file:)/.test(specifier)) return null
  const url = new URL(specifier, parent).href
  if (!url.startsWith(root) || !url.endsWith('.ts')) return null
  const rel = url.slice(root.length)
  if (!rel.startsWith('src/') && !rel.startsWith('variants/')) return null
  const twin = `${root}dist/${rel.slice(0, -'.ts'.length)}.js`
  return existsSync(fileURLToPath(twin)) ? twin : null
}
