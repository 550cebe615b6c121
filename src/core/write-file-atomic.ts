import {existsSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {InputError} from './input-error.ts'

/**
 * Writes `text` to `path` atomically: into a temporary file beside it, then renamed over
 * it, so a reader (or a process killed mid-write) sees the old file or the whole new one,
 * never a part. The directory is created when missing. An existing file is an InputError
 * (exit 2) unless `force`, also one that another process made while this one wrote (the
 * temporary file is then linked to the path, which fails if it exists, instead of renamed
 * over it); a failed write removes the temporary file and is an InputError naming the path.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, force: boolean): void {
  const exists = (): InputError => new InputError(`${path} already exists; pass --force to replace it`)
  if (!force && existsSync(path)) throw exists()
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`)
  let linked = false
  try {
    makeDirectory(dir)
    writeFileSync(temp, text)
    if (force) renameSync(temp, path)
    else {
      linked = true
      linkSync(temp, path)
      rmSync(temp)
    }
  } catch (error) {
    try {
      rmSync(temp, {force: true})
    } catch {
      // Nothing was made there (the directory is a file, say): the write's own error says why.
    }
    if (linked && (error as NodeJS.ErrnoException).code === 'EEXIST') throw exists()
    throw new InputError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * `mkdir -p dir`, one level at a time: Node's recursive mkdirSync loops forever where
 * mkdir fails with ENOENT under a directory that exists (/proc, /sys), and this fails
 * there with that error instead. A level another process makes meanwhile is taken as made.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = []
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d)
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}
