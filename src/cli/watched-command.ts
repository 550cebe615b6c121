/**
 * Worker side of a watched command (watch.ts): runs the kreplay command line it was given,
 * as bin/run.js would. bin/worker.js has already made this thread beat into the watcher's
 * counter.
 */
import {execute} from '@oclif/core'
import {workerData} from 'node:worker_threads'

await execute({args: (workerData as {argv: string[]}).argv, dir: new URL('../../bin/run.js', import.meta.url).href})
