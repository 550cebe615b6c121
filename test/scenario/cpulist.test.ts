import {describe, expect, it} from 'vitest'
import {formatCpulist, parseCpulist} from '../../src/scenario/cpulist.ts'

describe('parseCpulist', () => {
  it.each([
    ['0-3,7', [0, 1, 2, 3, 7]],
    ['7', [7]],
    ['5,1-2,2-3', [1, 2, 3, 5]],
    ['4-4', [4]],
    [' 0-1 ', [0, 1]],
    ['all', [0, 1, 2, 3]],
    [[3, 1, 1], [1, 3]],
    [[], []],
    [2, [2]],
  ] as const)('%j is %j', (value, cpus) => {
    expect(parseCpulist(value, 4)).toEqual(cpus)
  })

  it.each([
    ['3-1', /runs backwards; write 1-3/],
    ['a', /"a" is not a CPU number/],
    ['0,,1', /an empty part/],
    ['0,', /an empty part/],
    ['', /empty string/],
    ['-1', /not a CPU number/],
    ['0-', /not a CPU number/],
    ['0, 1', /not a CPU number/],
    ['0-3:2', /not a CPU number/],
    [[1.5], /expected a CPU number/],
    [[-1], /expected a CPU number/],
  ] as const)('rejects %j', (value, reason) => {
    expect(() => parseCpulist(value, 4)).toThrow(reason)
  })
})

describe('formatCpulist', () => {
  it.each([
    [[0, 1, 2, 3, 7], '0-3,7'],
    [[7, 0, 3, 2, 1, 1], '0-3,7'],
    [[0, 1], '0-1'],
    [[0, 2, 4], '0,2,4'],
    [[], ''],
  ])('%j is %j', (cpus, text) => {
    expect(formatCpulist(cpus)).toBe(text)
  })

  it('round-trips through parseCpulist', () => {
    expect(parseCpulist(formatCpulist([9, 1, 2, 3, 5, 6]), 16)).toEqual([1, 2, 3, 5, 6, 9])
  })
})
