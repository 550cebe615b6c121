/**
 * oclif's `command_not_found` hook: a mistyped command ends in one line in kreplay's error
 * style, with the closest command (`kreplay compar` → did you mean "compare"?), and exit 2.
 * (`@oclif/plugin-not-found` suggests only by an interactive prompt, so a piped or CI run
 * would get no suggestion at all.)
 */
import {Errors, type Hook, toConfiguredId} from '@oclif/core'
import {suggestion} from '../scenario/did-you-mean.ts'
import {EXIT_INPUT} from './exit-codes.ts'

const hook: Hook<'command_not_found'> = function (opts) {
  const ids = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases])
  const written = toConfiguredId(opts.id, opts.config)
  const guess = suggestion(written, ids.map((id) => toConfiguredId(id, opts.config)))
  process.stderr.write(`kreplay: "${written}" is not a kreplay command${guess}; kreplay help lists them\n`)
  Errors.exit(EXIT_INPUT)
}

export default hook
