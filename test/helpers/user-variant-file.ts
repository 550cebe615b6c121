/**
 * Variant files as a user writes them, outside the repository: each imports the shipped
 * stop_machine variant by absolute path, as `sm`, and changes what the test needs.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** A fresh folder for a test file's variant files (and whatever else it writes there). */
export interface VariantFolder {
  readonly dir: string
  /** Writes `name` in the folder: `body` below `import sm from '.../variants/stop-machine.ts'`. Returns its path. */
  readonly variant: (name: string, body: string) => string
}

export function variantFolder(): VariantFolder {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-variant-'))
  return {
    dir,
    variant: (name, body) => {
      const f = join(dir, name)
      writeFileSync(f, `import sm from '${repo}variants/stop-machine.ts'\n${body}\n`)
      return f
    },
  }
}
