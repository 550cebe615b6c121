/**
 * What the fuzzing campaign accepts from kreplay, and how it names everything else.
 * Accepted: exit 0 or 1 with a result on stdout, or exit 2 with exactly one stderr line
 * naming the trace as file:line:column. Anything else is a failure: a crash (an uncaught
 * error, another exit code, or an error that is not one line at file:line:column), a hang
 * (the wall-clock guard ended it), or output that differs between two identical runs.
 */

/** A case for the worker: command lines to run on one trace file. */
export interface CaseJob {
  readonly id: number
  readonly commands: readonly (readonly string[])[]
  /** Stop after the first command that exits 2 (the input was rejected). */
  readonly stopOnReject: boolean
}

/** What one command line did. */
export interface CommandOutcome {
  readonly argv: readonly string[]
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** The stack of an error that escaped the command, or null. */
  readonly crash: string | null
}

/** A failure's kind, as the campaign tallies them. */
export type FailureKind = 'crash' | 'hang' | 'nondeterministic' | 'bad-error'

/** Why one command's outcome is not accepted, or null when it is. */
export function judge(o: CommandOutcome, file: string): {kind: FailureKind; why: string} | null {
  if (o.crash !== null) return {kind: 'crash', why: `uncaught: ${o.crash.split('\n')[0]}`}
  if (o.code === 0 || o.code === 1) {
    return o.stdout.trim() === '' ? {kind: 'crash', why: `exit ${o.code} with nothing on stdout`} : null
  }
  if (o.code !== 2) return {kind: 'crash', why: `exit ${o.code}`}
  const lines = o.stderr.split('\n').filter((l) => l !== '')
  if (lines.length !== 1) return {kind: 'bad-error', why: `exit 2 with ${lines.length} lines on stderr`}
  const line = lines[0]
  if (!line.startsWith(`kreplay: ${file}:`) || !/^kreplay: .+:\d+:\d+: \S/.test(line)) {
    return {kind: 'bad-error', why: `exit 2 without file:line:column: ${line.slice(0, 120)}`}
  }
  if (line.length > 400) return {kind: 'bad-error', why: `exit 2 with a ${line.length}-character line`}
  return null
}
