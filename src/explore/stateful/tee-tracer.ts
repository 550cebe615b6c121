import type {AccessTracer, ProgramLoop} from '../../engine/tracer.ts'

/** One AccessTracer that tells two others everything, in order: the stateful search's recorder and its footprint trace. */
export class TeeTracer implements AccessTracer {
  constructor(
    private readonly a: AccessTracer,
    private readonly b: AccessTracer,
  ) {}

  dispatch(actor: number, seq: number, nextSeq: number): void {
    this.a.dispatch(actor, seq, nextSeq)
    this.b.dispatch(actor, seq, nextSeq)
  }

  alloc(obj: object, span: number): void {
    this.a.alloc(obj, span)
    this.b.alloc(obj, span)
  }

  access(obj: object, field: number, write: boolean): void {
    this.a.access(obj, field, write)
    this.b.access(obj, field, write)
  }

  word(obj: object, field: number, op: number, a: number, b: number, seen: number): void {
    this.a.word(obj, field, op, a, b, seen)
    this.b.word(obj, field, op, a, b, seen)
  }

  refs(mod: object, task: number, delta: number): void {
    this.a.refs(mod, task, delta)
    this.b.refs(mod, task, delta)
  }

  parked(words: readonly object[], cpu: object): void {
    this.a.parked(words, cpu)
    this.b.parked(words, cpu)
  }

  disabled(actor: number): void {
    this.a.disabled(actor)
    this.b.disabled(actor)
  }

  loopTop(where: string): void {
    this.a.loopTop?.(where)
    this.b.loopTop?.(where)
  }

  programAt(i: number, loops: readonly ProgramLoop[]): void {
    this.a.programAt?.(i, loops)
    this.b.programAt?.(i, loops)
  }

  spawned(task: object, code: object): void {
    this.a.spawned?.(task, code)
    this.b.spawned?.(task, code)
  }
}
