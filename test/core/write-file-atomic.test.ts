import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/core/input-error.ts'
import {writeFileAtomic} from '../../src/core/write-file-atomic.ts'

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-write-'))

  it('creates the file and its directories, and leaves no temporary file', () => {
    const path = join(dir, 'new', 'deeper', 'a.txt')
    writeFileAtomic(path, 'one', false)
    expect(readFileSync(path, 'utf8')).toBe('one')
    expect(readdirSync(join(dir, 'new', 'deeper'))).toEqual(['a.txt'])
  })

  it('refuses an existing file without force, and replaces it with force', () => {
    const path = join(dir, 'b.txt')
    writeFileSync(path, 'mine')
    expect(() => { writeFileAtomic(path, 'theirs', false); }).toThrow(new InputError(`${path} already exists; pass --force to replace it`))
    expect(readFileSync(path, 'utf8')).toBe('mine')
    writeFileAtomic(path, 'theirs', true)
    expect(readFileSync(path, 'utf8')).toBe('theirs')
  })

  it('where the directory is a file, says it cannot write the path (an InputError, not the cleanup\'s error)', () => {
    const file = join(dir, 'plain')
    writeFileSync(file, '')
    const path = join(file, 'c.txt')
    expect(() => { writeFileAtomic(path, 'x', false); }).toThrow(InputError)
    expect(() => { writeFileAtomic(path, 'x', false); }).toThrow(new RegExp(`^cannot write ${path}: `))
    expect(existsSync(path)).toBe(false)
  })

  // Node's recursive mkdirSync never returns there (mkdir fails with ENOENT under /proc).
  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('under /proc, where no directory can be made, fails with an InputError instead of looping', () => {
    expect(() => { writeFileAtomic('/proc/kreplay-out/deeper/report.md', 'x', false); }).toThrow(/^cannot write \/proc\/kreplay-out\/deeper\/report.md: ENOENT/)
  })
})
