#!/usr/bin/env node
// kreplay from its TypeScript sources, for development (the oclif convention): tsx's
// loaders are registered, and oclif is pointed at src/commands (src/cli/load-options.ts).
// Unlike oclif's `development: true`, errors print as the installed CLI prints them (no
// stack traces), so the tests that run this see what a user sees.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'
import {execute} from '@oclif/core'

// Both loaders: a user's variant file outside any "type": "module" package is CommonJS to tsx.
registerCjs()
register()
const {kreplayLoadOptions} = await import('../src/cli/load-options.ts')

await execute({loadOptions: kreplayLoadOptions()})
