import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

/** The most lines a source file may have (variant files, which mirror one kernel file each, live outside src/). */
const MAX_LINES = 400

describe('source files', () => {
  it(`have at most ${MAX_LINES} lines each, so a file stays one concept a reader can hold`, () => {
    const long = readdirSync(SRC, {withFileTypes: true, recursive: true})
      .filter((d) => d.isFile() && d.name.endsWith('.ts'))
      .map((d) => join(d.parentPath, d.name))
      .map((file) => ({file: file.slice(SRC.length + 1), lines: readFileSync(file, 'utf8').split('\n').length - 1}))
      .filter((f) => f.lines > MAX_LINES)
    expect(long).toEqual([])
  })
})
