#!/usr/bin/env node
// kreplay's entry point. The sources are TypeScript and ship unbuilt: tsx's loader is
// registered before oclif loads the commands, so `npm ci` alone leaves a working CLI.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'
import {execute} from '@oclif/core'

// Both loaders: a user's variant file outside any "type": "module" package is CommonJS to tsx.
registerCjs()
register()

await execute({dir: import.meta.url})
