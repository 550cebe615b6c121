import {describe, expect, it} from 'vitest'
import {parseTrace} from '../../src/scenario/load.ts'
import {TraceError} from '../../src/scenario/trace-error.ts'

/** The TraceError that loading `lines` (joined into one text) throws. */
function errorOf(...lines: string[]): TraceError {
  try {
    parseTrace(lines.join('\n') + '\n', 'fixture.yaml')
  } catch (error) {
    if (error instanceof TraceError) return error
    throw error
  }
  throw new Error('the trace loaded')
}

/** The lines every fixture starts with (lines 1-5). */
const HEAD = ['kreplay: 1', 'name: t', 'horizon: 1s', 'machine:', '  cpus: 8']

describe('parseTrace errors', () => {
  it('reports a YAML syntax error (bad indentation) where yaml finds it', () => {
    const error = errorOf(...HEAD, ' isolated: "7"')
    expect(`${error.file}:${error.line}:${error.col}`).toBe('fixture.yaml:6:2')
    expect(error.path).toBe('')
    expect(error.reason).toContain('invalid YAML: All mapping items must start at the same column')
    expect(error.message).toBe(`fixture.yaml:6:2: ${error.reason}`)
  })

  it('names a missing key that takes one value (the format version) as missing', () => {
    expect(errorOf('name: t', 'horizon: 1s', 'machine:', '  cpus: 8').message).toBe('fixture.yaml:1:1: missing required key "kreplay"')
  })

  it('refuses a seed past 32 bits, which would repeat a smaller seed\'s runs', () => {
    const error = errorOf('kreplay: 1', 'name: t', 'seed: 4294967296', 'horizon: 1s', 'machine:', '  cpus: 8')
    expect(error.message).toBe('fixture.yaml:3:7: seed: expected at most 4294967295, got 4294967296')
  })

  it('reports an unknown key at the key, with did-you-mean', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    cpu: "1"', '    program: []')
    expect(error.message).toBe('fixture.yaml:8:5: tasks[0]: unknown key "cpu" (did you mean "cpus"?)')
  })

  it('lists the allowed keys when no key is close', () => {
    const error = errorOf(...HEAD, '  zzz: 1')
    expect(error.message).toMatch(/^fixture\.yaml:6:3: machine: unknown key "zzz"; expected one of cpus, isolated, /)
  })

  it('prefers an unknown key to the missing key it misspells', () => {
    const error = errorOf(...HEAD, 'modules: [{name: m}]', 'tasks:', '  - name: a', '    program:', '      - call: m', '        fro: 5us')
    expect(error.message).toBe('fixture.yaml:11:9: tasks[0].program[0]: unknown key "fro" (did you mean "for"?)')
  })

  it('rejects a bare number as a duration, at the value', () => {
    const error = errorOf('kreplay: 1', 'name: t', 'horizon: 250', 'machine: {cpus: 8}')
    expect(`${error.file}:${error.line}:${error.col}`).toBe('fixture.yaml:3:10')
    expect(error.path).toBe('horizon')
    expect(error.reason).toContain('expected a duration with a unit (ns, us, ms, s), got the bare number 250')
  })

  it('rejects a CPU beyond the machine', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    cpus: "0-3,9"', '    program: []')
    expect(error.message).toBe('fixture.yaml:8:11: tasks[0].cpus: CPU 9 is out of range: the machine has 8 CPUs (0-7)')
  })

  it('says so when a task is affined only to offline CPUs', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    cpus: [8, 9]', '    program: []')
    expect(`${error.line}:${error.col}`).toBe('8:11')
    expect(error.path).toBe('tasks[0].cpus')
    expect(error.reason).toContain('affinity 8-9 names only offline CPUs: the machine has 8 CPUs (0-7)')
  })

  it('reports a missing required key at the enclosing map', () => {
    const error = errorOf('kreplay: 1', 'name: t', 'horizon: 1s', 'machine:', '  isolated: "1"')
    expect(error.message).toBe('fixture.yaml:5:3: machine: missing required key "cpus"')
    const top = errorOf('kreplay: 1', 'name: t', 'machine: {cpus: 8}')
    expect(top.message).toBe('fixture.yaml:1:1: missing required key "horizon"')
  })

  it('rejects an op on a module the trace does not define', () => {
    const error = errorOf(...HEAD, 'modules: [{name: dummy}]', 'tasks:', '  - name: a', '    program:', '      - get: dumy')
    expect(error.message).toBe('fixture.yaml:10:14: tasks[0].program[0].get: unknown module "dumy" (did you mean "dummy"?)')
  })

  it('rejects an expect metric that is not a metric, at the key', () => {
    const error = errorOf(...HEAD, 'expect:', '  default:', '    findings: []', '    metrics:', '      rt_latency: "> 1ms"')
    expect(error.message).toBe('fixture.yaml:10:7: expect.default.metrics: unknown key "rt_latency" (did you mean "rt_latency_max"?)')
  })

  it('rejects an expect metric value without a unit, at the value', () => {
    const error = errorOf(...HEAD, 'expect:', '  krmmod:', '    findings: []', '    metrics:', '      rt_latency_max: "> 1"')
    expect(`${error.line}:${error.col}`).toBe('10:23')
    expect(error.path).toBe('expect.krmmod.metrics.rt_latency_max')
    expect(error.reason).toContain('got the bare number "1"')
  })

  it('suggests the policy meant', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    policy: fiffo', '    program: []')
    expect(error.message).toBe(
      'fixture.yaml:8:13: tasks[0].policy: expected one of normal, batch, idle, fifo, rr; got "fiffo" (did you mean "fifo"?)',
    )
  })

  it('rejects an unknown op at its key', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    program:', '      - spn: 5us')
    expect(error.message).toBe('fixture.yaml:9:9: tasks[0].program[0]: unknown op "spn" (did you mean "spin"?)')
  })

  it('rejects a kill of a counted task by its base name', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: io', '    count: 2', '    program:', '      - kill: {task: io, signal: KILL}')
    expect(error.message).toBe(
      'fixture.yaml:10:22: tasks[0].program[0].kill.task: no task or kthread named "io"; "io" has count 2: name an instance, io/0 .. io/1',
    )
  })

  it('rejects a default affinity that is empty because every CPU is isolated', () => {
    const error = errorOf('kreplay: 1', 'name: t', 'horizon: 1s', 'machine: {cpus: 2, isolated: all}', 'tasks:', '  - name: a', '    program: []')
    expect(`${error.line}:${error.col}`).toBe('6:5')
    expect(error.reason).toContain('every CPU is isolated')
  })

  it('needs a priority for a fifo task', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - name: a', '    policy: fifo', '    program: []')
    expect(error.message).toBe('fixture.yaml:7:5: tasks[0]: a fifo task needs a priority, 1..99')
  })

  it('rejects duplicate task names at the second one', () => {
    const error = errorOf(...HEAD, 'tasks:', '  - {name: a, program: []}', '  - {name: a, program: []}')
    expect(error.message).toBe('fixture.yaml:8:12: tasks[1].name: duplicate task name "a"')
  })

  it('positions errors in JSON traces too', () => {
    const error = errorOf('{"kreplay": 1, "name": "t", "horizon": "1s",', ' "machine": {"cpus": 0}}')
    expect(error.message).toBe('fixture.yaml:2:22: machine.cpus: expected at least 1, got 0')
  })
})
