import type {VariantMeta} from '../engine/variant.ts'

/** Whether a design never reached mainline (its `kernels` says so). */
const neverMerged = (meta: VariantMeta): boolean => meta.kernels.startsWith('never merged')

/**
 * `kreplay variants --history`: the variants in kernel order (the order given, the
 * registry's), each with its era, what it fixed and what it broke, and the `kreplay patch`
 * that shows it as a step from the last mainline design before it (for a design that
 * never reached mainline, the one it was posted against or reasoned about). Read along
 * the mainline designs, the patches are the history. Deterministic plain text.
 */
export function renderVariantHistory(metas: readonly VariantMeta[]): string {
  let out = ''
  let mainline: VariantMeta | null = null
  metas.forEach((meta, i) => {
    out += `${String(i + 1).padStart(2)}. ${meta.id}: ${meta.kernels}, ${meta.date}\n`
    if (mainline !== null) out += `    kreplay patch ${mainline.id} ${meta.id}\n`
    out += `    fixed: ${meta.fixed}\n    broke: ${meta.broke}\n`
    if (!neverMerged(meta)) mainline = meta
  })
  return out
}
