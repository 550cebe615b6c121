import type {ChoiceSource} from '../../engine/choice.ts'

/**
 * Untimed choices that follow a plan of actors (engine.ts: which CPU steps, which IPI or
 * timer arrives), then let the actor that ran last go on (choice 0). Records its picks,
 * which replay the same run as a schedule file's choice list.
 */
export class ActorPlan implements ChoiceSource {
  readonly picks: number[] = []
  private pos = 0
  private choice = 0

  constructor(private readonly plan: readonly number[]) {}

  candidates(actors: Int32Array): void {
    if (this.pos < this.plan.length) {
      const want = this.plan[this.pos++]
      this.choice = actors.indexOf(want)
      if (this.choice < 0) throw new Error(`exhaustive search: a witness schedule diverged at event ${this.pos - 1} (actor ${want} not ready)`)
    } else {
      this.choice = 0
    }
  }

  pick(): number {
    this.picks.push(this.choice)
    return this.choice
  }
}
