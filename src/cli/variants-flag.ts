import {Flags} from '@oclif/core'
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
 */
export function variantList(values: readonly string[] | undefined): string[] {
  const named = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))]
  if (values !== undefined && named.length === 0) throw new InputError('--variants names no variant: give shipped ids or variant files, e.g. -v stop-machine,atomic-refcnt (kreplay variants lists the ids)')
  return named
}
