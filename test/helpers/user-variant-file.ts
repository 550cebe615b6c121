/**
 * Variant files as a user writes them, outside the repository: each imports the shipped
 * stop_machine variant by absolute path and changes what the test needs.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** A fresh folder for a test file's variant files (and whatever else it writes). */
export function variantDir(): string {
  return mkdtempSync(join(tmpdir(), 'kreplay-variant-'))
}

/** Writes `name` in `dir`: `body` below an import of the shipped stop-machine variant as `sm`. Returns its path. */
export function variantFile(dir: string, name: string, body: string): string {
  const f = join(dir, name)
  writeFileSync(f, `import sm from '${repo}variants/stop-machine.ts'\n${body}\n`)
  return f
}
