/**
 * Temporary re-export: InputError now lives in src/core/input-error.ts. Kept only so
 * branches written against the old path merge; import from core/input-error.ts, and
 * delete this file once nothing imports it.
 */
export {InputError} from '../core/input-error.ts'
