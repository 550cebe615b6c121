/**
 * Temporary re-export: the RunResult, finding and metric types now live in
 * src/core/result.ts. Kept only so branches written against the old path merge; import
 * from core/result.ts, and delete this file once nothing imports it.
 */
export * from '../core/result.ts'
