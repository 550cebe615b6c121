import {describe, expect, it} from 'vitest'
import {didYouMean, suggestion} from '../../src/scenario/did-you-mean.ts'

describe('didYouMean', () => {
  it.each([
    ['fiffo', ['normal', 'fifo', 'rr'], 'fifo'],
    ['cpu', ['name', 'cpus'], 'cpus'],
    ['SIGKILL', ['KILL', 'TERM'], 'KILL'],
    ['stop', ['spin', 'stop_machine'], 'stop_machine'],
    ['Policy', ['policy'], 'policy'],
    ['zzz', ['name', 'cpus'], undefined],
    ['x', ['rr', 'io'], undefined],
    ['stop-machin', ['stopref', 'stop-machine', 'krmmod'], 'stop-machine'],
    ['compar', ['check', 'compare', 'diff'], 'compare'],
  ] as const)('%j among %j is %j', (written, candidates, guess) => {
    expect(didYouMean(written, candidates)).toBe(guess)
  })

  it('words a suggestion, or nothing', () => {
    expect(suggestion('fro', ['for'])).toBe(' (did you mean "for"?)')
    expect(suggestion('zzz', ['for'])).toBe('')
  })
})
