/**
 * Worker side of a watched command (watch.ts): runs the kreplay command line it was given,
 * as bin/run.js (or, from the sources, bin/dev.js) would. worker-entry.ts has already made
 * this thread beat into the watcher's counter.
 */
import {execute} from '@oclif/core'
import {workerData} from 'node:worker_threads'
import {kreplayLoadOptions} from './load-options.ts'

await execute({args: (workerData as {argv: string[]}).argv, loadOptions: kreplayLoadOptions()})
