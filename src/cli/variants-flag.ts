import {Flags} from '@oclif/core'
import {existsSync} from 'node:fs'
import {InputError} from '../core/input-error.ts'

/**
 * `-v/--variants a,b` on every command that runs several variants (compare, check,
 * report): comma-separated, repeatable (`--variant a --variant b` works too), each a
 * shipped id or a path to a variant file; `description` says what they are for.
 */
export function variantsFlag(description = 'variant ids or paths, separated by commas or repeated (default: every shipped variant)') {
  return Flags.string({char: 'v', aliases: ['variant'], multiple: true, multipleNonGreedy: true, delimiter: ',', description})
}

/**
 * The variants the flag named, in the order first given, each once (empty items, as in a
 * trailing comma, dropped); empty when the flag was not given. Given with nothing in it
 * (`-v ''`, as an unset shell variable makes it) is an InputError, not every variant.
 * A variant file whose path has a comma in it is one item (rejoinPaths).
 */
export function variantList(values: readonly string[] | undefined): string[] {
  const named = [...new Set(rejoinPaths(values ?? []).map((v) => v.trim()).filter((v) => v !== ''))]
  if (values !== undefined && named.length === 0) throw new InputError('--variants names no variant: give shipped ids or variant files, e.g. -v stop-machine,atomic-refcnt (kreplay variants lists the ids)')
  return named
}

/**
 * The items, with runs that the flag's comma split cut out of one existing file's path
 * (`./v1,2.ts` read as `./v1` and `2.ts`) put back together; an item that names a file,
 * or that no following items make into one, stays as it is.
 */
function rejoinPaths(items: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < items.length; i++) {
    let item = items[i]
    for (let j = i + 1; j < items.length && !existsSync(item); j++) {
      const joined = items.slice(i, j + 1).join(',')
      if (existsSync(joined)) {
        item = joined
        i = j
      }
    }
    out.push(item)
  }
  return out
}
