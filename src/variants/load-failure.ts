import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** esbuild's message for a file it cannot compile (tsx passes it on): `file:line:col: ERROR: text`, column from 0. */
const ESBUILD = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m

/**
 * An esbuild location (line from 1, column a UTF-8 byte offset from 0) as file:line:column
 * with the column in characters from 1, as every kreplay message counts it.
 */
function at(file: string, line: number, byteColumn: number, text: string): string {
  let lineText = ''
  try {
    lineText = readFileSync(file, 'utf8').split('\n')[line - 1] ?? ''
  } catch {
    // Unreadable now: the byte column is the best there is.
  }
  const column = lineText === '' ? byteColumn : Buffer.from(lineText).subarray(0, byteColumn).toString('utf8').length
  return `${file}:${line}:${column + 1}: ${text}`
}

/**
 * Why variant file `arg` (at `url`) did not load, in one line. A syntax error names
 * file:line:column: tsx's (esbuild's) message has them; Node's own SyntaxError for a
 * JavaScript file has none, so the file is compiled again with esbuild, which never runs
 * it, to find where. Anything else is the error's first line.
 */
export async function loadFailure(err: unknown, arg: string, url: string): Promise<string> {
  const message = err instanceof Error ? err.message : String(err)
  const m = ESBUILD.exec(message)
  if (m !== null) return at(m[1], Number(m[2]), Number(m[3]), m[4])
  const first = `cannot load variant ${arg}: ${message.split('\n', 1)[0]}`
  if (!(err instanceof SyntaxError)) return first
  const file = fileURLToPath(url)
  const {transform} = await import('esbuild')
  try {
    // No output format: a CommonJS file keeps its sloppy-mode syntax (`with`) legal.
    await transform(readFileSync(file, 'utf8'), {loader: /\.[mc]?ts$/.test(file) ? 'ts' : 'js', sourcefile: file})
  } catch (compile) {
    const location = (compile as {errors?: {text: string; location: {line: number; column: number} | null}[]}).errors?.[0]
    if (location?.location != null) return at(file, location.location.line, location.location.column, location.text)
  }
  return first
}
