import type {ControlRecorder} from '../../engine/control-recorder.ts'
import {Cpu} from '../../engine/cpu.ts'
import type {Machine} from '../../engine/machine.ts'
import {Module} from '../../engine/module.ts'
import {Task} from '../../engine/task.ts'

/** A key that names no object for certain: it conflicts with every key (`sameObject`). */
export const ANY_OBJECT = 0

const CAT = 2 ** 24
const INDEX_LIMIT = 2 ** 20

/**
 * A name for field `field` of an object that is the same on every path that reaches the
 * same state, unlike the tracer's ids (allocation order, which two paths to one state may
 * not share): a CPU by number, a task by id (an irq handler's by its CPU), a module by its
 * trace entry and instance, an object the kernel API handed out by the recorder's
 * allocation number (which captureState writes, so equal states agree on it). Anything
 * else is ANY_OBJECT, which a search must take to be every object.
 */
export function stableKey(obj: object, field: number, m: Machine, rec: ControlRecorder): number {
  let cat: number
  let index: number
  const handed = rec.idOf(obj)
  if (handed >= 0) {
    cat = 1
    index = handed
  } else if (obj instanceof Cpu) {
    cat = 2
    index = obj.id
  } else if (obj instanceof Task) {
    if (obj.id >= 0) {
      cat = 3
      index = obj.id
    } else {
      cat = 4 // an irq handler, which lives only while it runs on its CPU
      index = obj.cpu
    }
  } else if (obj === m.tasks) {
    cat = 5
    index = 0
  } else if (obj instanceof Module) {
    cat = 6
    index = m.scenario.modules.indexOf(obj.spec) * 4096 + obj.instance
    if (obj.instance >= 4096) return ANY_OBJECT
  } else {
    const spec = m.scenario.modules.indexOf(obj as never)
    if (spec < 0) return ANY_OBJECT
    cat = 7
    index = spec
  }
  if (index < 0 || index >= INDEX_LIMIT || field >= 16) return ANY_OBJECT
  return cat * CAT + index * 16 + field
}
