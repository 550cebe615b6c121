import type {HashMark} from './state-hash.ts'
import type {Task} from './task.ts'

/**
 * A kernel call's caller, as the call was noted (ControlRecorder.calling): its history
 * then, and how often that history had started over (ControlRecorder.restart). When the
 * call returns, the history goes back to it before the return is recorded: what happened
 * inside the call (the resumes and reads of the call's own frames) is forgotten, since the
 * caller's code goes on from what it was when it called and from what the call returned.
 * That is exact when none of the caller's own code ran inside the call: so there is no
 * mark for a call handed a function it may run in the caller's task (`mayForget`), nor
 * for one whose steps did not start at once (the API's rule: `yield*` every primitive
 * where it is called), and none is used if the history started over inside the call.
 */
export interface CallMark {
  readonly task: Task
  readonly at: HashMark
  readonly restarts: number
  /** The history once the method itself returned (a Step takes effect then): where the steps start. */
  start: HashMark | null
}

/**
 * Calls whose function arguments run in a task of their own, never in the caller's. Any
 * other call handed a function may run it in the caller's task, as spinUntil runs its
 * predicate.
 */
const RUNS_ELSEWHERE: ReadonlySet<string> = new Set(['kernelThread', 'bootThread', 'kthreadCreate', 'kthreadRun', 'callUsermodehelper'])

/** Whether a call of kernel method `name` with `args` runs none of the caller's code in its task: what it did inside may be forgotten. */
export function mayForget(name: string, args: readonly unknown[]): boolean {
  return RUNS_ELSEWHERE.has(name) || !args.some((a) => typeof a === 'function')
}
