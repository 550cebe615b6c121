import {SeededChoices} from '../../src/engine/choice.ts'
import {Engine} from '../../src/engine/engine.ts'
import {runScenario, type RunOutput} from '../../src/engine/run.ts'
import type {Task} from '../../src/engine/task.ts'
import type {Variant} from '../../src/engine/variant.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {loadVariant} from '../../src/variants/registry.ts'

/** The head of an inline trace: a machine of `cpus` CPUs and the horizon; modules and tasks follow. */
export const inlineHeader = (cpus: number, horizon = '1s'): string => `kreplay: 1
name: t
horizon: ${horizon}
machine: {cpus: ${cpus}}
`

/** The kinds of a run's findings, in the order they were found. */
export const kindsFound = (out: RunOutput): string[] => out.result.findings.map((f) => f.kind)

/** Runs an inline YAML trace against a shipped variant, with the event log. */
export async function runInline(yaml: string, variant: string | Variant = 'stop-machine', seed?: number): Promise<RunOutput> {
  const v = typeof variant === 'string' ? await loadVariant(variant) : variant
  return runScenario(parseTrace(yaml, 'inline.yaml'), v, {log: true, seed})
}

/** Log lines as `time cpuN task what`, optionally only those whose task is in `tasks`. */
export function events(out: RunOutput, tasks?: readonly string[]): string[] {
  return out.log
    .filter((l) => !tasks || tasks.includes(l.task))
    .map((l) => `${l.t} cpu${l.cpu} ${l.task} ${l.what}`)
}

/** Runs an inline YAML trace and returns every task the machine had, as the run left them. */
export function tasksAfter(yaml: string, variant: Variant): readonly Task[] {
  const e = new Engine(parseTrace(yaml, 'inline.yaml'), variant, {choices: new SeededChoices(1), seed: 1})
  e.run()
  return e.tasks
}
