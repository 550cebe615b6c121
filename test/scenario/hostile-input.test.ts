import {describe, expect, it} from 'vitest'
import {parseTrace} from '../../src/scenario/load.ts'
import {quote, tidyMessage} from '../../src/scenario/quote.ts'
import {TraceError} from '../../src/scenario/trace-error.ts'

/** The one-line message parseTrace throws for `text`. */
function errorOf(text: string, limits?: {maxMemoryMb: number}): string {
  try {
    parseTrace(text, 'x.yaml', limits)
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError)
    return (e as Error).message
  }
  throw new Error('the trace loaded')
}

const HEAD = 'kreplay: 1\nname: t\nhorizon: 1ms\nmachine: {cpus: 4}\n'

describe('hostile traces', () => {
  it('stops an alias bomb at its first alias, in one line', () => {
    const levels = ['a0: &a0 ["x","x","x","x","x","x","x","x"]']
    for (let l = 1; l < 8; l++) levels.push(`a${l}: &a${l} [${Array(8).fill(`*a${l - 1}`).join(',')}]`)
    expect(errorOf(HEAD + levels.join('\n'))).toBe('x.yaml:6:10: expands more than 100 aliases; a trace needs far fewer (an alias bomb?)')
  })

  it('refuses binary data at its first byte, without printing it back', () => {
    expect(errorOf('kreplay: 1\nname: \u0000\u0001\u0002garbage')).toBe('x.yaml:2:7: not a text file: found the control character \\u0000; a trace is YAML or JSON text')
    const bytes = new TextDecoder().decode(new Uint8Array([0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x80, ...new Array<number>(4000).fill(0x41)]))
    const message = errorOf(bytes)
    expect(message).toBe('x.yaml:1:4: not a text file: found bytes that are not UTF-8; a trace is YAML or JSON text')
  })

  it('cuts a long value short and escapes what does not print', () => {
    const message = errorOf(`${HEAD}tasks: [{name: a, policy: "${'f'.repeat(5000)}\\u0007", program: []}]`)
    expect(message).toMatch(/^x\.yaml:5:27: tasks\[0\]\.policy: expected one of normal, batch, idle, fifo, rr; got "f{40}…" \(5001 characters\)/)
    expect(message.length).toBeLessThan(200)
  })

  it('refuses nesting deeper than a trace needs, naming where', () => {
    const deep = '[{repeat: 1, do: '.repeat(70) + '[{spin: 1us}]' + '}]'.repeat(70)
    expect(errorOf(`${HEAD}tasks: [{name: a, program: ${deep}}]`)).toMatch(/^x\.yaml:5:\d+: tasks\[0\]\.program\[0\]\.do.*….*: nested more than 64 levels deep/)
    const flow = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(errorOf(flow)).toMatch(/^x\.yaml:1:\d+: invalid YAML: nested too deeply to parse/)
  })

  it('refuses a trace too large to simulate up front, at the count that makes it so, saying how to raise the limit', () => {
    const huge = 'kreplay: 1\nname: t\nhorizon: 1ms\nmachine: {cpus: 4096}\ntasks:\n  - {name: a, count: 10, program: []}\n  - {name: b, count: 100000, program: []}\n'
    expect(errorOf(huge)).toBe(
      'x.yaml:7:22: tasks[1].count: simulating 100,010 tasks on 4096 CPUs needs about 3.4 GiB, more than --max-memory allows (2.0 GiB); raise --max-memory or make the trace smaller',
    )
    expect(() => parseTrace(huge, 'x.yaml', {maxMemoryMb: 4096})).not.toThrow()
    const spread = huge.replace('count: 100000,', 'count: 100000, spread: true,')
    expect(() => parseTrace(spread, 'x.yaml')).not.toThrow()
  })
})

describe('quote and tidyMessage', () => {
  it('keep short printable text as it is', () => {
    expect(quote('fiffo')).toBe('"fiffo"')
    expect(tidyMessage('unknown key "polcy" (did you mean "policy"?)')).toBe('unknown key "polcy" (did you mean "policy"?)')
  })

  it('escape control characters and cut long quoted runs', () => {
    expect(quote('a\nb\u0000c"d')).toBe('"a\\nb\\u0000c\\"d"')
    expect(quote('é'.repeat(50), 3)).toBe('"ééé…" (50 characters)')
    expect(tidyMessage(`got "${'z'.repeat(100)}" here\u001b[31m`)).toBe(`got "${'z'.repeat(40)}…" (100 characters) here\\u001b[31m`)
  })
})

describe('interrupt handler programs', () => {
  it('refuse an op that may sleep or block, at the op, naming what a handler may do', () => {
    const trace = (op: string) => `${HEAD}irqs: [{name: nic, every: 10us, program: [{spin: 1us}, ${op}]}]`
    for (const [op, kind] of [['{sleep: 1us}', 'sleep'], ['{yield: true}', 'yield'], ['{stop_machine: {for: 1us}}', 'stop_machine'], ['{repeat: 2, do: [{spin: 1us}], until: signal}', 'repeat with until']]) {
      const key = kind === 'repeat with until' ? 'repeat' : kind
      expect(errorOf(trace(op))).toBe(
        `x.yaml:5:${57 + key.length + 2}: irqs[0].program[1].${key}: an interrupt handler cannot sleep, block or wait for a thread, and ${kind} may; an irq program may use spin, get, put, call, use, kill, mark, repeat`,
      )
    }
    expect(() => parseTrace(trace('{repeat: 2, do: [{mark: x}]}'), 'x.yaml')).not.toThrow()
  })
})
