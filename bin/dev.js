#!/usr/bin/env node
// kreplay from its TypeScript sources, for development (the oclif convention): tsx's
// loaders are registered, and NODE_ENV=development makes oclif map the commands folder of
// package.json (dist/src/commands) back to src/commands through tsconfig.json's outDir and
// rootDir. Unlike oclif's `development: true`, errors print as the installed CLI prints
// them (no stack traces), so tests that run this see what a user sees.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'
import {execute} from '@oclif/core'

// Both loaders: a user's variant file outside any "type": "module" package is CommonJS to tsx.
registerCjs()
register()
process.env.NODE_ENV ??= 'development'

await execute({dir: import.meta.url})
