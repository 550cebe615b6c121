import {settings, type Interfaces} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'

/**
 * oclif's load options for this very kreplay: the package root, with package.json's
 * commands folder and hooks pointed at the modules beside this one (src/ from the
 * sources, dist/src/ compiled). From the sources, oclif's own mapping of dist/ back
 * to src/ is turned off: it would load the typescript package (seconds of a slow machine's
 * start-up) to read tsconfig.json, where tsx, already registered, does the work. For
 * bin/dev.js and the fuzzer's case process.
 */
export function kreplayLoadOptions(): Interfaces.LoadOptions {
  if (!COMPILED) settings.enableAutoTranspile = false
  const pjson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Interfaces.PJSON
  const here = (path: string): string => `./${relative(PACKAGE_ROOT, fileURLToPath(new URL(path, import.meta.url))).replaceAll('\\', '/')}`
  const ext = COMPILED ? 'js' : 'ts'
  const hooks = {command_not_found: here(`./command-not-found.${ext}`)}
  return {root: PACKAGE_ROOT, pjson: {...pjson, oclif: {...pjson.oclif, commands: here('../commands'), hooks}}}
}
