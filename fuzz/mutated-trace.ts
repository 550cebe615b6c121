/**
 * fast-check arbitraries for broken traces: a valid trace (valid-trace.ts) damaged the way
 * a hand-edited or hostile file is damaged: YAML syntax, wrong types, out-of-range numbers,
 * unknown keys, huge counts, deep nesting, alias bombs, binary garbage, empty files. Each
 * draw is the file's bytes; the loader must reject it in one line naming file:line:column,
 * or accept it (some damage leaves a valid trace).
 */
import fc from 'fast-check'
import {stringify} from 'yaml'
import {validTrace, type RawTrace} from './valid-trace.ts'

/** What was done to the trace, for the campaign's tally and the reproducer's name. */
export type Damage =
  | 'syntax'
  | 'wrong-type'
  | 'out-of-range'
  | 'unknown-key'
  | 'huge-count'
  | 'deep-nesting'
  | 'alias-bomb'
  | 'binary'
  | 'empty'

/** A broken trace file: its bytes and the damage done. */
export interface MutatedTrace {
  readonly damage: Damage
  readonly bytes: Uint8Array
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Every path to a scalar or container inside `value`, for picking a node to damage. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length > 0) out.push(at)
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out)
  }
  return out
}

/** `trace` with the node at `path` replaced by `replace(old)` (a structural copy). */
function replaceAt(trace: RawTrace, path: readonly (string | number)[], replace: (old: unknown) => unknown): RawTrace {
  const copy = structuredClone(trace)
  let node: Record<string | number, unknown> = copy
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>
  const last = path[path.length - 1]
  node[last] = replace(node[last])
  return copy
}

/** Pick a node of `trace` with `pick` (an index into its paths) and replace it. */
function damageNode(trace: RawTrace, pick: number, replace: (old: unknown) => unknown): RawTrace {
  const all = paths(trace)
  return replaceAt(trace, all[pick % all.length], replace)
}

const wrongValues: unknown[] = [[], {}, true, null, 'x', '', 'fifo', -1, 1.5, [1, 2], {a: 1}, 'all', '10', '5 s']
const outOfRange: unknown[] = [-1, 0, 4097, 1e308, -1e308, 2 ** 53, 1.5, '-5us', '1e400s', '99999999999999s', '0-99999', 100]

/** Text-level damage to a YAML file: cut, doubled, or stray characters at a point. */
function syntaxDamage(yaml: string, at: number, len: number, kind: number): string {
  const i = at % Math.max(1, yaml.length)
  switch (kind % 6) {
    case 0:
      return yaml.slice(0, i) + yaml.slice(i + len)
    case 1:
      return yaml.slice(0, i) + ':'.repeat(1 + (len % 3)) + yaml.slice(i)
    case 2:
      return yaml.slice(0, i) + '\t' + yaml.slice(i)
    case 3:
      return yaml.slice(0, i) + ['[', '{', ']', '}', '"', "'", '&', '*', '- ', '? ', '|', '>'][len % 12] + yaml.slice(i)
    case 4: {
      const lines = yaml.split('\n')
      const n = i % lines.length
      lines[n] = ' '.repeat(1 + (len % 5)) + lines[n]
      return lines.join('\n')
    }
    default:
      return yaml.slice(0, i)
  }
}

/** A YAML alias bomb: each level a list of aliases to the one below. */
function aliasBomb(levels: number, width: number): string {
  const lines = ['kreplay: 1', 'name: bomb', 'horizon: 1ms', 'machine: {cpus: 1}', `a0: &a0 [${Array(width).fill('"x"').join(',')}]`]
  for (let l = 1; l <= levels; l++) lines.push(`a${l}: &a${l} [${Array(width).fill(`*a${l - 1}`).join(',')}]`)
  return lines.join('\n') + '\n'
}

/** A trace (as JSON text) whose only task's program sits `depth` repeats deep; built as text, since serialisers recurse. */
function deepTrace(trace: RawTrace, depth: number): string {
  const program = '[{"repeat":1,"do":'.repeat(depth) + '[{"spin":"1us"}]' + '}]'.repeat(depth)
  return JSON.stringify({...trace, tasks: [{name: 'deep', program: '@program@'}]}).replace('"@program@"', program)
}

/** A broken trace, damaged one way. */
export const mutatedTrace: fc.Arbitrary<MutatedTrace> = fc.oneof(
  fc
    .tuple(validTrace(), fc.nat(), fc.integer({min: 1, max: 20}), fc.nat())
    .map(([t, at, len, kind]) => ({damage: 'syntax' as const, bytes: text(syntaxDamage(stringify(t), at, len, kind))})),
  fc
    .tuple(validTrace(), fc.nat(), fc.constantFrom(...wrongValues))
    .map(([t, pick, v]) => ({damage: 'wrong-type' as const, bytes: text(stringify(damageNode(t, pick, () => v)))})),
  fc
    .tuple(validTrace(), fc.nat(), fc.constantFrom(...outOfRange))
    .map(([t, pick, v]) => ({damage: 'out-of-range' as const, bytes: text(stringify(damageNode(t, pick, () => v)))})),
  fc.tuple(validTrace(), fc.nat(), fc.constantFrom('bogus', 'cpu', 'polcy', 'for', 'do', 'kreplay')).map(([t, pick, key]) => ({
    damage: 'unknown-key' as const,
    bytes: text(stringify(damageNode(t, pick, (old) => (typeof old === 'object' && old !== null && !Array.isArray(old) ? {...old, [key]: 1} : old)))),
  })),
  fc.tuple(validTrace(), fc.integer({min: 2, max: 12}), fc.constantFrom(1024, 4096)).map(([t, entries, cpus]) => ({
    damage: 'huge-count' as const,
    bytes: text(
      stringify({
        ...t,
        machine: {cpus},
        tasks: Array.from({length: entries}, (_, i) => ({name: `h${i}`, count: 100_000, program: [{spin: '1us'}]})),
        irqs: [],
        modules: [],
      }),
    ),
  })),
  fc.tuple(validTrace(), fc.integer({min: 40, max: 5000})).map(([t, depth]) => ({damage: 'deep-nesting' as const, bytes: text(deepTrace(t, depth))})),
  fc.tuple(fc.integer({min: 3, max: 9}), fc.integer({min: 3, max: 12})).map(([levels, width]) => ({damage: 'alias-bomb' as const, bytes: text(aliasBomb(levels, width))})),
  fc.uint8Array({minLength: 1, maxLength: 4096}).map((bytes) => ({damage: 'binary' as const, bytes})),
  fc.constantFrom('', '\n', '   \n', '# only a comment\n', '---\n', '~\n', '[]\n', '{}\n', 'null\n').map((s) => ({damage: 'empty' as const, bytes: text(s)})),
)
