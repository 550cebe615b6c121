import {TASK_INTERRUPTIBLE, TASK_RUNNING, type Kernel} from './kernel.ts'
import type {Cpu} from './cpu.ts'
import type {StepGen} from './task.ts'

/**
 * migration/N (2.6's migration_thread): takes move requests for tasks that were running on
 * this CPU, moves each once it is off the CPU, and completes the request.
 */
export function* migrationThread(k: Kernel, c: Cpu): StepGen<number> {
  const queue = k.migrationQueues[c.id]
  for (;;) {
    k.loopTop('migration_thread')
    while (!queue.length) {
      yield* k.setCurrentState(TASK_INTERRUPTIBLE)
      if (queue.length) {
        k.current.state = TASK_RUNNING
        break
      }
      yield* k.schedule('migration queue empty')
    }
    const req = queue.shift()!
    yield* k.migrateTask(req.task)
    yield* k.complete(req.done)
  }
}

/** kthreadd (keventd before 2.6.22): forks the threads kthread_create asks for. */
export function* kthreadd(k: Kernel): StepGen<number> {
  for (;;) {
    k.loopTop('kthreadd')
    while (!k.createQueue.length) {
      yield* k.setCurrentState(TASK_INTERRUPTIBLE)
      if (k.createQueue.length) {
        k.current.state = TASK_RUNNING
        break
      }
      yield* k.schedule('no threads to create')
    }
    yield* k.forkKthread()
  }
}
