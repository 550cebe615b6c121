import {KREPLAY_VERSION, MODEL_VERSION} from '../core/versions.ts'

/**
 * Which kreplay and which model version made an output (reports carry it, as `--json`
 * results and schedule files do): `kreplay 0.1.0, model version 3`.
 */
export function madeBy(): string {
  return `kreplay ${KREPLAY_VERSION}, model version ${MODEL_VERSION}`
}
