import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {InputError} from './input-error.ts'

/**
 * Checks, before a long command starts, that `path` (a file or directory it will write,
 * existing or not) can be made: its nearest existing ancestor is a directory this process
 * may write into. Throws an InputError naming `what` (e.g. `--out`) otherwise, so that the
 * work is not done only to be lost when its result cannot be written.
 */
export function checkWritable(path: string, what: string): void {
  let dir = resolve(path, '..')
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  if (!statSync(dir).isDirectory()) throw new InputError(`${what} ${path}: ${dir} is not a directory`)
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    throw new InputError(`${what} ${path}: cannot write in ${dir}`)
  }
}

