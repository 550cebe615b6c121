import {SeededChoices, type ChoiceKind, type ChoiceSource} from '../../engine/choice.ts'
import {DELAY_LENGTHS} from './delays.ts'
import {DelayStrategy} from './delay-strategy.ts'
import {PctStrategy} from './pct-strategy.ts'
import {RandomStrategy} from './random-strategy.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {SamplingStrategy} from './strategy.ts'

/** The sampling strategies by name. */
export type SamplingName = SamplingStrategy['name']

/** Default `--depth` per strategy: PCT's bug depth d, the delay strategy's delay bound. */
export const DEFAULT_DEPTH: Record<SamplingName, number> = {random: 2, pct: 3, delay: 2}

/** Whether each strategy's runs are untimed (its SamplingStrategy says the same once made). */
export const UNTIMED: Record<SamplingName, boolean> = {random: false, pct: true, delay: false}

/**
 * Builds a sampling strategy for a target. Each needs the size of a run to spread its
 * perturbations over: random its step count, delay its number of delay choice points,
 * pct its number of untimed dispatches, measured once on a default run here.
 */
export function makeStrategy(name: SamplingName, target: ExploreTarget, seed: number, depth: number, plainSteps: number): SamplingStrategy {
  switch (name) {
    case 'random':
      return new RandomStrategy(seed, plainSteps, depth)
    case 'delay':
      return new DelayStrategy(seed, target.scenario.seed, countDelayPoints(target), depth)
    case 'pct':
      return new PctStrategy(seed, target.scenario.seed, countDispatches(target), depth)
  }
}

/** Delay choice points in a default timed run (the delay strategy's jitter seed, no delays). */
function countDelayPoints(target: ExploreTarget): number {
  let n = 0
  const jitter = new SeededChoices(target.scenario.seed)
  const counting: ChoiceSource = {
    delays: DELAY_LENGTHS,
    pick: (k: number, kind: ChoiceKind) => {
      if (kind === 'jitter') return jitter.pick(k)
      if (kind === 'delay') n++
      return 0
    },
  }
  runTarget(target, counting, {untimed: false})
  return n
}

/** Dispatches in a default untimed run (each actor goes on while it can). */
function countDispatches(target: ExploreTarget): number {
  let n = 0
  const counting: ChoiceSource = {
    pick: () => 0,
    candidates: () => {
      n++
    },
  }
  runTarget(target, counting, {untimed: true})
  return n
}
