import {existsSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {InputError} from './input-error.ts'

/**
 * Write `text` to `path` atomically: into a temporary file beside it, then renamed over
 * it, so a reader never sees half a file. An existing file is an InputError (exit 2)
 * unless `force`.
 */
export function writeFileAtomic(path: string, text: string, force: boolean): void {
  if (!force && existsSync(path)) throw new InputError(`${path} exists; use --force to overwrite it`)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(temp, text)
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, {force: true})
    throw new InputError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
