import {Flags} from '@oclif/core'

/**
 * `-v/--variants a,b` on every command that runs several variants (compare, check,
 * report): comma-separated, repeatable (`--variant a --variant b` works too), each a
 * shipped id or a path to a variant file; `description` says what they are for.
 */
export function variantsFlag(description = 'variant ids or paths, separated by commas or repeated (default: every shipped variant)') {
  return Flags.string({char: 'v', aliases: ['variant'], multiple: true, multipleNonGreedy: true, delimiter: ',', description})
}

/** The variants the flag named, in the order first given, each once; empty when none were. */
export function variantList(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))]
}
