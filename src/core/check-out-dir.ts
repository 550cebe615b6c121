import {existsSync, readdirSync, statSync} from 'node:fs'
import {checkWritable} from './check-writable.ts'
import {InputError} from './input-error.ts'

/**
 * Checks, before a command that writes a directory of files starts, that `dir` (named by
 * the flag `what`, e.g. `--out`) can be that directory: absent, or an empty directory
 * (one made with `mkdir` or `mktemp -d` for it), or, with `force`, a directory whose files
 * of the same names may be replaced; and that it can be made (checkWritable). Throws an
 * InputError saying which it is not.
 */
export function checkOutDir(dir: string, what: string, force: boolean): void {
  if (dir === '') throw new InputError(`${what}: an empty path; name the directory to write into`)
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`${what} ${dir} is a file; name a directory to write into`)
    if (!force && readdirSync(dir).length > 0) throw new InputError(`${what} ${dir} already exists and is not empty; pass --force to write into it`)
  }
  checkWritable(dir, what)
}
