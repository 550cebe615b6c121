import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, basename} from 'node:path'

/**
 * Writes `text` to `path` atomically: into a temporary file beside it, then renamed over
 * it, so a reader sees the old file or the whole new one, never a part. The directory is
 * created when missing. The temporary file is removed if the write fails.
 */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path)
  mkdirSync(dir, {recursive: true})
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, {force: true})
    throw err
  }
}
