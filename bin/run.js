#!/usr/bin/env node
// kreplay's entry point: the compiled JavaScript in dist/ (built by `npm run build`, which
// `npm ci` and `npm install` run as the prepare script) and, in a packed or installed
// kreplay, the oclif manifest, so a start loads no command it does not run.
// bin/dev.js runs the TypeScript sources instead.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
