import type {Finding} from '../core/result.ts'

/**
 * A finding as the event of the access that raced, for the views that list events (the
 * log, the lanes): `!! use-after-free: read state of module dummy after it was freed`,
 * the finding's detail without the task's name in front (the event names its task).
 */
export function findingEvent(f: Finding): string {
  const detail = f.task !== null && f.detail.startsWith(`${f.task} `) ? f.detail.slice(f.task.length + 1) : f.detail
  return `!! ${f.kind}: ${detail}`
}
