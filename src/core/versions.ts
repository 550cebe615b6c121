/**
 * The versions every file and JSON result kreplay writes carries, so that a file read back
 * later can be checked against the kreplay that reads it.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PACKAGE_ROOT} from './package-root.ts'

/** kreplay's own version, from package.json (read, not imported: core imports nothing of the project). */
export const KREPLAY_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}).version

/**
 * The version of the simulated machine's semantics: what a step costs, what the scheduler
 * picks, which choices a run asks for and in what order. It changes whenever a change to
 * the engine, the kernel API or a shipped variant could make a recorded schedule replay
 * differently; a schedule recorded under another model version is refused, not replayed.
 * 2: the engine by composition (one event-kind numbering for the untimed search's actors).
 * 3: a device irq raised again while its line is pending on a CPU is merged into the
 *    pending one (interrupts.ts), not queued again.
 */
export const MODEL_VERSION = 3
