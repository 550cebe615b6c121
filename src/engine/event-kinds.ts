// The kinds of simulation events: what an entry of the event queue stands for. One
// numbering for the event queue and for the untimed explorer's actors (tracer.ts): the
// actor of an event is its kind × ACTOR_STRIDE plus its CPU, task or irq number, so an
// event kind here and the actor kind ACTOR_* of the same name are the same number.

/** A CPU's next step. */
export const EV_STEP = 0
/** A reschedule IPI lands. */
export const EV_IPI = 1
/** A sleep's timer. */
export const EV_TIMER = 2
/** A trace task (or insmod) becomes runnable. */
export const EV_START = 3
/** A device interrupt raised. */
export const EV_IRQ = 4
/** A timeslice ends. */
export const EV_SLICE = 5
