import {describe, expect, it} from 'vitest'
import {packLines, widest, wrapAtHyphens, wrapText} from '../../src/render/wrap.ts'

describe('wrapText (wrap-ansi)', () => {
  it('breaks greedily at spaces, dropping the space at a break', () => {
    expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps'])
  })

  it('never breaks after a hyphen, and hard-splits a word wider than the width', () => {
    expect(wrapText('use-after-free', 8)).toEqual(['use-afte', 'r-free'])
    expect(wrapText('ab abcdefghij', 4)).toEqual(['ab', 'abcd', 'efgh', 'ij'])
  })

  it('counts display columns, not code units: a wide character takes two, an ANSI code none', () => {
    expect(wrapText('日本 語', 4)).toEqual(['日本', '語'])
    expect(wrapText('\u001B[31mred\u001B[39m text', 8)).toEqual(['\u001B[31mred\u001B[39m text'])
  })

  it('gives one empty line for empty text', () => {
    expect(wrapText('', 5)).toEqual([''])
  })
})

describe('wrapAtHyphens', () => {
  it('breaks a variant id after its hyphens, keeping them', () => {
    expect(wrapAtHyphens('stop-machine-run', 8)).toEqual(['stop-', 'machine-', 'run'])
    expect(wrapAtHyphens('stop-machine-run', 13)).toEqual(['stop-machine-', 'run'])
  })

  it('breaks a findings cell at spaces and after hyphens where wrap-ansi would cut the word', () => {
    expect(wrapAtHyphens('freed-while-referenced 10/10', 17)).toEqual(['freed-while-', 'referenced 10/10'])
    expect(wrapText('freed-while-referenced 10/10', 17)).toEqual(['freed-while-refer', 'enced 10/10'])
  })

  it('hard-splits a piece wider than the width', () => {
    expect(wrapAtHyphens('a-abcdefgh', 4)).toEqual(['a-', 'abcd', 'efgh'])
  })
})

describe('widest', () => {
  it('is the display width of the widest line', () => {
    expect(widest('ab\nabcd\nabc')).toBe(4)
    expect(widest('日本語\nabcd')).toBe(6)
    expect(widest('')).toBe(0)
  })
})

describe('packLines', () => {
  it('packs entries with the separator, never splitting one, indenting the lines after the first', () => {
    expect(packLines(['ok: no finding', 'uaf: use-after-free', 'deadlock', 'hang'], ' · ', 30, '  ')).toEqual(['ok: no finding', '  uaf: use-after-free', '  deadlock · hang'])
  })

  it('gives an entry wider than the width lines of its own, wrapped at spaces', () => {
    expect(packLines(['a b c d e f', 'g'], ', ', 5, '  ')).toEqual(['a b', '  c d', '  e f', '  g'])
  })
})
