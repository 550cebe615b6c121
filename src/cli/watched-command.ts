/**
 * Worker side of a watched command (watch.ts): runs the kreplay command line it was given,
 * as bin/run.js would (from the sources when this thread runs them). worker-main.ts has
 * already made this thread beat into the watcher's counter.
 */
import {execute} from '@oclif/core'
import {workerData} from 'node:worker_threads'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'

// From the sources, oclif finds the commands in src/ only in development (bin/dev.js).
if (!COMPILED) process.env.NODE_ENV ??= 'development'
await execute({args: (workerData as {argv: string[]}).argv, dir: PACKAGE_ROOT})
