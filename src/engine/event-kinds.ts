// The kinds of simulation events: what an entry of the event queue stands for.

/** A CPU's next step. */
export const EV_STEP = 0
/** A sleep's timer. */
export const EV_TIMER = 1
/** A device interrupt raised. */
export const EV_IRQ = 2
/** A reschedule IPI lands. */
export const EV_IPI = 3
/** A trace task (or insmod) becomes runnable. */
export const EV_START = 4
/** A timeslice ends. */
export const EV_SLICE = 5
