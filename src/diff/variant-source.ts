import {readFileSync} from 'node:fs'
import {isAbsolute, relative, resolve} from 'node:path'
import {isVariantPath, shippedIds, UnknownVariantError, VARIANTS_DIR} from '../variants/registry.ts'
import {unifiedDiff} from './unified-diff.ts'
import {suggestion} from '../scenario/did-you-mean.ts'

/** What a variant's source file is named: TypeScript or JavaScript, as a variant file is loaded. */
const SOURCE = /\.(ts|js|mjs|mts)$/

/**
 * A variant's source file: a path as given, or variants/<id>.ts for a shipped id. A path
 * that is not a TypeScript or JavaScript file is an UnknownVariantError (exit 2).
 */
export function variantFile(arg: string): string {
  if (isVariantPath(arg)) {
    if (!SOURCE.test(arg)) throw new UnknownVariantError(`${arg} is not a variant's source: expected a .ts, .js, .mjs or .mts file, or a shipped variant id`)
    return isAbsolute(arg) ? arg : resolve(process.cwd(), arg)
  }
  if (!shippedIds().includes(arg)) throw new UnknownVariantError(`unknown variant "${arg}"${suggestion(arg, shippedIds())}; valid: ${shippedIds().join(', ')} (or a path to a variant file)`)
  return resolve(VARIANTS_DIR, `${arg}.ts`)
}

/**
 * `kreplay patch`: the unified diff (context 3) from variant `a`'s source to `b`'s, as
 * the design moved in history; file headers name `a/variants/<a>.ts` and `b/variants/<b>.ts`
 * (or the paths as given). The empty string when the files are identical. An unreadable
 * file is an UnknownVariantError.
 */
export function variantPatch(a: string, b: string): string {
  const [fileA, fileB] = [variantFile(a), variantFile(b)]
  // As git names them: relative, so an absolute path reads a/tmp/v.ts, not a//tmp/v.ts.
  const name = (arg: string, file: string) => (isVariantPath(arg) ? arg.replace(/^\/+/, '') : relative(resolve(VARIANTS_DIR, '..'), file))
  return unifiedDiff(read(a, fileA), read(b, fileB), {oldName: `a/${name(a, fileA)}`, newName: `b/${name(b, fileB)}`})
}

function read(arg: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new UnknownVariantError(`variant file not found: ${arg}`)
  }
}
