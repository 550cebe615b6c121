/** `n` and a count noun, plural unless n is 1: `1 irq`, `3 irqs`, `0 lines`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
