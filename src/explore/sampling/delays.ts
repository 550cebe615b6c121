/**
 * The lengths a step may be held up by at the delay choice point (an NMI, an SMI, a vCPU
 * preempted by its hypervisor): none, 1 µs, 10 µs, 100 µs, 1 ms. Choice i means
 * DELAY_LENGTHS[i]; 0 is no delay.
 */
export const DELAY_LENGTHS: readonly number[] = Object.freeze([0, 1_000, 10_000, 100_000, 1_000_000])
