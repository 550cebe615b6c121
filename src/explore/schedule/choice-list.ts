import type {RecordingChoices} from '../../engine/choice.ts'

/**
 * A recorded list of searched choices: `values[i]` was picked at the i-th 'order' or
 * 'delay' choice point of a run (jitter draws are not listed: they come from a seed), and
 * `kinds[i]` says which ('o' or 'd').
 */
export interface ChoiceList {
  readonly values: readonly number[]
  readonly kinds: string
}

/** The first `n` choices a recorder of searched choices saw (all by default). */
export function recordedList(rec: RecordingChoices, n = rec.values.length): ChoiceList {
  return {values: rec.values.slice(0, n), kinds: rec.kinds(n)}
}

/**
 * The text form of a choice list, as schedule files store it: space-separated tokens of a
 * kind letter and a value, a run of equal tokens written once with `*count`:
 * `o1 d0*1234 d3 o0*2`.
 */
export function encodeChoices(list: ChoiceList): string {
  const out: string[] = []
  const {values, kinds} = list
  for (let i = 0; i < values.length; ) {
    let j = i + 1
    while (j < values.length && values[j] === values[i] && kinds[j] === kinds[i]) j++
    out.push(`${kinds[i]}${values[i]}${j - i > 1 ? `*${j - i}` : ''}`)
    i = j
  }
  return out.join(' ')
}

/** Parses the text form (encodeChoices); throws an Error naming the bad token. */
export function decodeChoices(text: string): ChoiceList {
  const values: number[] = []
  let kinds = ''
  for (const token of text.split(/\s+/)) {
    if (token === '') continue
    const m = /^([od])(\d{1,9})(?:\*(\d{1,9}))?$/.exec(token)
    if (m === null) throw new Error(`bad choice token "${token}": expected a kind letter (o or d), a value and an optional *count, like o1 or d0*40`)
    const count = m[3] ? Number(m[3]) : 1
    if (count < 1) throw new Error(`bad choice token "${token}": a count must be at least 1`)
    for (let i = 0; i < count; i++) values.push(Number(m[2]))
    kinds += m[1].repeat(count)
  }
  return {values, kinds}
}

/** The list without its trailing zero choices (which replay the same: past the end means 0). */
export function trimZeros(list: ChoiceList): ChoiceList {
  let n = list.values.length
  while (n > 0 && list.values[n - 1] === 0) n--
  return n === list.values.length ? list : {values: list.values.slice(0, n), kinds: list.kinds.slice(0, n)}
}

/** How many injected delays and how many non-default orders (preemptions, untimed) a list makes. */
export function choiceWeight(list: ChoiceList): {delays: number; preemptions: number} {
  let delays = 0
  let preemptions = 0
  for (let i = 0; i < list.values.length; i++) {
    if (list.values[i] === 0) continue
    if (list.kinds[i] === 'd') delays++
    else preemptions++
  }
  return {delays, preemptions}
}
