import {KREPLAY_VERSION, MODEL_VERSION} from '../core/versions.ts'

/**
 * JSON output: two-space indented, keys in the order the result constructors fixed, and
 * a trailing newline, so identical runs print identical bytes.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/**
 * The envelope every `--json` output starts with (docs/json.md): which command printed it
 * (`kreplay: "run"`), the version of that command's shape (`version`, raised when a key
 * changes meaning or goes), the kreplay that printed it and the model version it simulated.
 */
export interface JsonEnvelope {
  readonly kreplay: string
  readonly version: number
  readonly kreplayVersion: string
  readonly model: number
}

/** `body` under the envelope of `command`'s shape `version`: the envelope's keys first, then the body's in their order. */
export function versioned<T extends object>(command: string, version: number, body: T): JsonEnvelope & T {
  return {kreplay: command, version, kreplayVersion: KREPLAY_VERSION, model: MODEL_VERSION, ...body}
}
