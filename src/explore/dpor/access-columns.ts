/**
 * A list of accesses (dependence.ts) stored column by column in typed arrays: access x is
 * obj[x], kind[x], op[x], a[x], b[x], seen[x]. Pushing allocates nothing until the
 * columns are full (they then double); truncating (`n = k`) keeps their storage, so a
 * list reused from run to run stops allocating once it has grown to its largest size.
 * The columns are replaced when they grow: read them through the list, not a copy.
 */
export class AccessColumns {
  /** How many accesses the list holds (the first n of each column). */
  n = 0
  obj: Int32Array
  kind: Uint8Array
  op: Uint8Array
  a: Float64Array
  b: Float64Array
  seen: Float64Array

  constructor(capacity = 256) {
    this.obj = new Int32Array(capacity)
    this.kind = new Uint8Array(capacity)
    this.op = new Uint8Array(capacity)
    this.a = new Float64Array(capacity)
    this.b = new Float64Array(capacity)
    this.seen = new Float64Array(capacity)
  }

  /** Appends an access. */
  push(obj: number, kind: number, op: number, a: number, b: number, seen: number): void {
    const i = this.n
    if (i === this.obj.length) this.grow()
    this.obj[i] = obj
    this.kind[i] = kind
    this.op[i] = op
    this.a[i] = a
    this.b[i] = b
    this.seen[i] = seen
    this.n = i + 1
  }

  /** Appends accesses [from, to) of another list. */
  append(src: AccessColumns, from: number, to: number): void {
    for (let x = from; x < to; x++) this.push(src.obj[x], src.kind[x], src.op[x], src.a[x], src.b[x], src.seen[x])
  }

  private grow(): void {
    const n = this.obj.length * 2
    this.obj = grown(this.obj, new Int32Array(n))
    this.kind = grown(this.kind, new Uint8Array(n))
    this.op = grown(this.op, new Uint8Array(n))
    this.a = grown(this.a, new Float64Array(n))
    this.b = grown(this.b, new Float64Array(n))
    this.seen = grown(this.seen, new Float64Array(n))
  }
}

/** `into`, holding `from` at its start. */
function grown<T extends Int32Array | Uint8Array | Float64Array>(from: T, into: T): T {
  into.set(from)
  return into
}
