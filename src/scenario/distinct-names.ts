import {InputError} from '../core/input-error.ts'

/**
 * Throws an InputError when two traces of one command share a name (the same trace given
 * twice, or a copy whose `name:` was not changed): their rows, searches and schedule files,
 * all named after the trace, would be confused. `arg` is how each was given.
 */
export function checkDistinctNames(traces: readonly {readonly name: string; readonly arg: string}[]): void {
  const seen = new Map<string, string>()
  for (const {name, arg} of traces) {
    const first = seen.get(name)
    if (first !== undefined) {
      throw new InputError(first === arg ? `${arg} is given twice` : `${first} and ${arg} are both named ${name}: give each trace its own name: (results and files are named after it)`)
    }
    seen.set(name, arg)
  }
}
