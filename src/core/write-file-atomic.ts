import {existsSync, mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {InputError} from './input-error.ts'

/**
 * Writes `text` to `path` atomically: into a temporary file beside it, then renamed over
 * it, so a reader (or a process killed mid-write) sees the old file or the whole new one,
 * never a part. The directory is created when missing. An existing file is an InputError
 * (exit 2) unless `force`; a failed write removes the temporary file and is an InputError
 * naming the path.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, force: boolean): void {
  if (!force && existsSync(path)) throw new InputError(`${path} already exists; pass --force to replace it`)
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`)
  try {
    mkdirSync(dir, {recursive: true})
    writeFileSync(temp, text)
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, {force: true})
    throw new InputError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
