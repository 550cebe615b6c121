import {InputError} from '../../core/input-error.ts'
import type {Shard} from '../explore-result.ts'

/**
 * `--shard auto`: this process's shard from the batch system running it.
 * - Kubernetes Indexed Job: JOB_COMPLETION_INDEX, with the count in KREPLAY_SHARD_COUNT
 *   (the Job's `completions`; Kubernetes does not export it, so the manifest sets it);
 * - Slurm job array: SLURM_ARRAY_TASK_ID, less SLURM_ARRAY_TASK_MIN (0 when unset), of
 *   SLURM_ARRAY_TASK_COUNT;
 * - anything else (GitHub Actions matrices): KREPLAY_SHARD_INDEX and KREPLAY_SHARD_COUNT,
 *   or `--shard ${{ matrix.shard }}/N` directly.
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard {
  const pick = (index: string | undefined, count: string | undefined, from: string, base = 0): Shard => {
    const i = Number(index) - base
    const n = Number(count)
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
      throw new InputError(`--shard auto: ${from} gives index ${index ?? '(unset)'} of ${count ?? '(unset)'}; expected 0 <= index < count`)
    }
    return {index: i, count: n}
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) return pick(env.JOB_COMPLETION_INDEX, env.KREPLAY_SHARD_COUNT, 'JOB_COMPLETION_INDEX (Kubernetes) and KREPLAY_SHARD_COUNT')
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    return pick(env.SLURM_ARRAY_TASK_ID, env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (Slurm)', Number(env.SLURM_ARRAY_TASK_MIN ?? 0))
  }
  if (env.KREPLAY_SHARD_INDEX !== undefined) return pick(env.KREPLAY_SHARD_INDEX, env.KREPLAY_SHARD_COUNT, 'KREPLAY_SHARD_INDEX and KREPLAY_SHARD_COUNT')
  throw new InputError('--shard auto: no batch system found (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or KREPLAY_SHARD_INDEX); give --shard i/n')
}
