/**
 * A module-resolution hook (`node:module` register) for a compiled kreplay: an ES module
 * import of one of kreplay's own TypeScript sources (the .ts files under src/ and
 * variants/), as a user's variant file writes it (docs/variant-api.md), resolves to its
 * compiled twin in dist/ (compiled-twin.ts). prepare-user-file.ts does the same for
 * require(), which tsx uses for a variant file outside any "type": "module" package.
 */
import type {InitializeHook, ResolveHook} from 'node:module'
import {pathToFileURL} from 'node:url'
import {compiledTwin} from './compiled-twin.ts'

/** The package root as a file URL ending in '/', set by `initialize`. */
let root = ''

/** Receives the package root (a path) from the thread that registers the hook. */
export const initialize: InitializeHook<{root: string}> = (data) => {
  root = pathToFileURL(`${data.root}/`).href
}

/** Resolves a kreplay source to its compiled twin when there is one. */
export const resolve: ResolveHook = (specifier, context, nextResolve) => nextResolve(compiledTwin(specifier, context.parentURL, root) ?? specifier, context)
