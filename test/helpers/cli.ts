import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** Runs the real CLI in a child process: what a user types, with its exit code. */
export function cli(...args: string[]): {code: number; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, NO_COLOR: '1'}})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}
