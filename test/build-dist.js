// vitest global setup (JavaScript: vitest's own process loads it, without tsx): brings
// dist/ up to date before any test runs, with `npm run build` (incremental and emit-only,
// about 2 s when nothing changed). The tests that start kreplay as its own process run the
// compiled CLI a user runs (bin/run.js), so none of them runs stale code.
import {execFileSync} from 'node:child_process'
import {dirname} from 'node:path'

export default function setup() {
  execFileSync('npm', ['run', '--silent', 'build'], {cwd: dirname(import.meta.dirname), stdio: 'inherit'})
}
