/**
 * Worker-thread side of engine-bench.ts's fresh-thread figure: one variant's steps per
 * second on one step trace, in a thread that has run nothing else (as `kreplay run` does).
 */
import {parentPort, workerData} from 'node:worker_threads'
import {loadVariant} from '../src/variants/registry.ts'
import {stepRate, stepTraces} from './step-rate.ts'

const {trace, variant} = workerData as {trace: string; variant: string}
parentPort!.postMessage(stepRate(stepTraces().get(trace)!, await loadVariant(variant)))
