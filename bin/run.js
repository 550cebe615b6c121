#!/usr/bin/env node
// kreplay's entry point: the compiled JavaScript in dist/ (built by `npm run build`, which
// `npm ci` and `npm install` run as the prepare script) and, in a packed or installed
// kreplay, the oclif manifest, so a start loads no command it does not run.
// bin/dev.js runs the TypeScript sources instead.
// Start-up: only oclif's `execute` entry, and without its check of Node against
// @oclif/core's own engines, which loads all of semver (a fifth of the start); npm
// already enforces kreplay's `engines` (engine-strict) when it is installed.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const {execute} = await import('@oclif/core/execute')

await execute({dir: import.meta.url})
