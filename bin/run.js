#!/usr/bin/env node
// kreplay's entry point. The sources are TypeScript and ship unbuilt: tsx's loader is
// registered before oclif loads the commands, so `npm ci` alone leaves a working CLI.
import {register} from 'tsx/esm/api'
import {execute} from '@oclif/core'

register()
await execute({dir: import.meta.url})
