// vitest global setup (JavaScript: vitest's own process loads it, without tsx): brings
// dist/ up to date before the tests run, and again before each rerun in watch mode, with
// `npm run build` (incremental and emit-only, about 2 s when nothing changed). The tests
// that start kreplay as its own process run the compiled CLI a user runs (bin/run.js), so
// none of them runs stale code.
import {execFileSync} from 'node:child_process'
import {dirname} from 'node:path'

function build() {
  execFileSync('npm', ['run', '--silent', 'build'], {cwd: dirname(import.meta.dirname), stdio: 'inherit'})
}

/** Whether an earlier project's setup (every project runs this one) already built. */
let built = false

/** @param {import('vitest/node').TestProject} project */
export default function setup(project) {
  if (built) return
  built = true
  build()
  project.onTestsRerun(build) // vitest's reruns, whichever project they touch
}
