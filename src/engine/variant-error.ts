/**
 * Thrown when variant or program code breaks the kernel API's rules (scheduling while
 * atomic, a bad yield, exiting with preemption off). A run that throws it ends in a clear
 * error naming the time, CPU and task, never in a crash of the tool.
 */
export class VariantError extends Error {}
