/**
 * Linux's task->state values, shared by the engine (which sets them), the kernel API
 * (which variants use) and the detectors (which judge what a task was left sleeping in).
 */
export const TASK_RUNNING = 0
export const TASK_INTERRUPTIBLE = 1
export const TASK_UNINTERRUPTIBLE = 2
