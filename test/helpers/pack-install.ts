/**
 * kreplay as a user gets it: packed by `npm pack` (its prepack and prepare scripts build
 * dist/ and the oclif manifest) and installed from the tarball into an empty prefix with
 * `npm install --prefix`, which takes the runtime dependencies from npm's cache where
 * `npm ci` put them, and fetches the rest from the registry. Used by the pack-install
 * test and by the start-up figure of `npm run bench`.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdirSync, readdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What packing and installing left, and how long each took. */
export interface Installed {
  /** The tarball npm pack wrote. */
  readonly tarball: string
  /** The installed package's folder (prefix/node_modules/kreplay). */
  readonly pkg: string
  /** The installed `kreplay` command (prefix/node_modules/.bin/kreplay). */
  readonly bin: string
  /** The install prefix: its node_modules holds kreplay and every runtime dependency. */
  readonly prefix: string
  readonly packMs: number
  readonly installMs: number
}

/** Not copied: installed, built, generated or local files. */
const SKIP = new Set(['.git', 'node_modules', 'dist', 'coverage', 'oclif.manifest.json', '.kreplay', '.prof', '.artifacts', 'fuzz-failures'])

/**
 * Packs this working tree and installs the tarball under `dir`. The tree is packed from a
 * copy (sharing node_modules by a symlink), so the manifest `npm pack` writes and removes
 * never shows in the tree that tests and bin/dev.js run from.
 */
export function packAndInstall(dir: string): Installed {
  const copy = join(dir, 'src-copy')
  mkdirSync(copy)
  for (const entry of readdirSync(ROOT)) {
    if (!SKIP.has(entry)) cpSync(join(ROOT, entry), join(copy, entry), {recursive: true})
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
  const quiet = {encoding: 'utf8' as const, stdio: 'pipe' as const}
  const t0 = performance.now()
  execFileSync('npm', ['pack', '--pack-destination', dir], {...quiet, cwd: copy})
  const packMs = performance.now() - t0
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
  const prefix = join(dir, 'prefix')
  mkdirSync(prefix)
  const t1 = performance.now()
  // --prefer-offline: the dependencies `npm ci` just fetched come from npm's cache, unrevalidated.
  execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline', tarball], {...quiet, cwd: prefix})
  const installMs = performance.now() - t1
  const pkg = join(prefix, 'node_modules', 'kreplay')
  return {tarball, pkg, bin: join(prefix, 'node_modules', '.bin', 'kreplay'), prefix, packMs, installMs}
}
