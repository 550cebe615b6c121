/**
 * The field-role tables of the stateful search: every field of a Task, Cpu, Module and
 * the Machine, classified by what it is to the state captureState (machine-state.ts) hashes.
 */
import type {Cpu} from './cpu.ts'
import type {Machine} from './machine.ts'
import type {Module} from './module.ts'
import type {Task} from './task.ts'

/**
 * What a field of the machine is to the state a stateful search hashes:
 * - `state`: decides what the machine does next; captured (generically: numbers, strings,
 *   tasks by id, modules by instance, arrays, maps, sets, plain objects by their fields);
 * - `control`: a task's generator, captured as its history (control-recorder.ts);
 * - `events`: a counter that only tells live queued events from superseded ones; the
 *   live events are captured instead (events below);
 * - `time`: a logical time or a duration derived from it; left out (docs/explore.md says
 *   why that is exact when the stateful search reports a search complete);
 * - `observer`: read only by detectors and metrics, never by the machine;
 * - `fixed`: the same in every run of the trace (identity, configuration);
 * - `derived`: a getter or method computed from other fields.
 */
export type FieldRole = 'state' | 'control' | 'events' | 'time' | 'observer' | 'fixed' | 'derived'

/**
 * Every field of a Task, classified. A field added to Task without a line here is a
 * compile error (and test/engine/machine-state.test.ts checks the instance's own keys),
 * so a new piece of machine state cannot be left out of the hash by accident.
 */
export const TASK_FIELDS: Readonly<Record<keyof Task, FieldRole>> = {
  id: 'fixed',
  name: 'fixed',
  kthread: 'fixed',
  spec: 'fixed',
  where: 'state',
  state: 'state',
  cpu: 'state',
  allowed: 'state',
  policy: 'state',
  priority: 'state',
  rank: 'state',
  slice: 'time',
  // The rest of an interrupted step: only its length is time, but whether a resume is owed
  // is not (captured as owed or not, machine-state.ts).
  remaining: 'state',
  resume: 'state',
  gen: 'control',
  // The value a primitive returns at the next resume, fixed by what the task read (its history).
  stepValue: 'control',
  text: 'state',
  refs: 'state',
  pendingSignals: 'state',
  allowedSignals: 'state',
  shouldStop: 'state',
  exitCode: 'state',
  exitWaiters: 'state',
  runnableSince: 'time',
  blockedSince: 'time',
  blockedOn: 'state',
  // A task by id or a module by instance (a refcount wait): set with the sleep, read only
  // by the end-of-run wait graph, yet captured as state like blockedOn.
  waitsFor: 'state',
  lastSetAffinity: 'state',
  expired: 'state',
  parkedOn: 'state',
  parkedYielding: 'state',
  timerToken: 'events',
  // The normal-class scheduler's order (0 and unused in untimed runs, captured anyway).
  key: 'state',
  vruntime: 'state',
  everRan: 'state',
  // Same-instant batch bookkeeping (same-instant-batch.ts): which queued events are live.
  batch: 'events',
  batched: 'events',
  dirty: 'events',
  // Busy-wait accounting for the livelock and machine-stall detectors.
  busyWaitStart: 'observer',
  busyWaitAtomic: 'observer',
  busyWaitOff: 'observer',
  busyWaitOffSince: 'observer',
  syscallStart: 'time',
  rt: 'derived',
  setPolicy: 'derived',
}

/** Every field of a Cpu, classified (as TASK_FIELDS). */
export const CPU_FIELDS_STATE: Readonly<Record<keyof Cpu, FieldRole>> = {
  id: 'fixed',
  isolated: 'fixed',
  migration: 'fixed',
  curr: 'state',
  irqTask: 'state',
  rq: 'state',
  preempt: 'state',
  irqsOff: 'state',
  needResched: 'state',
  pending: 'state',
  stepGen: 'events',
  // Whether a step is in flight decides wakeups and kicks; the live step event says so.
  stepEnd: 'events',
  ipiGen: 'events',
  freshIpis: 'state',
  sliceGen: 'events',
  runStart: 'time',
  regionStart: 'observer',
  // When a busy-waiting task began holding this CPU from queued tasks (machine-stall).
  behindStart: 'observer',
  // CFS's min_vruntime (0 and unused in untimed runs, captured anyway).
  minVruntime: 'state',
  batch: 'events',
  batched: 'events',
  dirty: 'events',
  regionSpun: 'observer',
  irqOffStart: 'observer',
  lastSwitch: 'observer',
  preemptible: 'derived',
}

/** Every field of a Module instance, classified (as TASK_FIELDS). */
export const MODULE_FIELDS: Readonly<Record<keyof Module, FieldRole>> = {
  spec: 'fixed',
  instance: 'fixed',
  name: 'derived',
  state: 'state',
  freed: 'state',
  exiting: 'state',
  freedAt: 'time',
  baseRefs: 'state',
  priv: 'state',
}

/** The fields of an interrupt held pending (PendingIrq): when it was raised is time. */
export const PENDING_FIELDS: Readonly<Record<string, FieldRole>> = {raised: 'time', kind: 'state', data: 'state'}

/**
 * Every field of the Machine, classified (as TASK_FIELDS; its two private fields by name).
 * The CPUs, tasks, modules and event queue are written by captureState itself; `instances`
 * and `nextId` decide the numbers of new module instances and tasks. The task executing
 * is always none between steps.
 */
export const MACHINE_FIELDS: Readonly<Record<keyof Machine | 'instances' | 'nextId', FieldRole>> = {
  now: 'time',
  steps: 'time',
  q: 'events',
  cpus: 'fixed',
  tasks: 'fixed',
  modules: 'fixed',
  instances: 'state',
  nextId: 'state',
  obs: 'observer',
  normalSched: 'fixed',
  busyWaiting: 'derived',
  busyWaitEnded: 'derived',
  heldFromWaiters: 'derived',
  costs: 'fixed',
  logLines: 'observer',
  logOps: 'fixed',
  current: 'fixed',
  currentCpu: 'fixed',
  kthreadd: 'fixed',
  budget: 'fixed',
  untimed: 'fixed',
  tracer: 'fixed',
  scenario: 'fixed',
  variant: 'fixed',
  opts: 'fixed',
  spawn: 'derived',
  moduleSpec: 'derived',
  newInstance: 'derived',
  defaultCpus: 'derived',
  findTask: 'derived',
  refsHeld: 'derived',
  log: 'derived',
  regionChanged: 'derived',
  irqsOffNow: 'derived',
  irqsOn: 'derived',
}
