import {describe, expect, it} from 'vitest'
import {didYouMean, editDistance, suggestion} from '../../src/scenario/did-you-mean.ts'

describe('didYouMean', () => {
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('same', 'same')).toBe(0)
  })

  it.each([
    ['fiffo', ['normal', 'fifo', 'rr'], 'fifo'],
    ['cpu', ['name', 'cpus'], 'cpus'],
    ['SIGKILL', ['KILL', 'TERM'], 'KILL'],
    ['stop', ['spin', 'stop_machine'], 'stop_machine'],
    ['Policy', ['policy'], 'policy'],
    ['zzz', ['name', 'cpus'], undefined],
    ['x', ['rr', 'io'], undefined],
  ] as const)('%j among %j is %j', (written, candidates, guess) => {
    expect(didYouMean(written, candidates)).toBe(guess)
  })

  it('words a suggestion, or nothing', () => {
    expect(suggestion('fro', ['for'])).toBe(' (did you mean "for"?)')
    expect(suggestion('zzz', ['for'])).toBe('')
  })
})
