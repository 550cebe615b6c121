import {pipeline, Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'
import {InputError} from '../core/input-error.ts'

/** Bytes looked at to tell what a capture file is. */
const HEAD_BYTES = 10

/** Binary formats a capture is often recorded in, what each is, and what turns it into text kreplay reads (FILE: the file, or `usual` for standard input). */
const BINARY: readonly {readonly magic: Buffer; readonly what: string; readonly fix: string; readonly usual: string}[] = [
  {magic: Buffer.from('\x17\x08Dtracing', 'latin1'), what: 'a trace-cmd binary trace (trace.dat)', fix: 'trace-cmd report -i FILE > capture.txt', usual: 'trace.dat'},
  {magic: Buffer.from('PERFILE2'), what: 'a perf binary recording (perf.data)', fix: 'perf script -i FILE > capture.txt', usual: 'perf.data'},
  {magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), what: 'zstd-compressed', fix: 'zstd -dc FILE > capture.txt', usual: 'capture.txt.zst'},
  {magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), what: 'xz-compressed', fix: 'xz -dc FILE > capture.txt', usual: 'capture.txt.xz'},
  {magic: Buffer.from('BZh'), what: 'bzip2-compressed', fix: 'bzip2 -dc FILE > capture.txt', usual: 'capture.txt.bz2'},
]

const GZIP = Buffer.from([0x1f, 0x8b])

/**
 * A capture's bytes as text, whatever it was saved as: gzip-compressed (decompressed as it
 * is read), UTF-16 with its byte-order mark (as PowerShell's `>` writes it) or UTF-8, a
 * UTF-8 byte-order mark dropped. A binary recording (trace-cmd's trace.dat, perf.data) or
 * a compression Node cannot undo is an InputError saying `file` is one and the command
 * that turns it into text; any other file with a NUL byte in its first chunk is an
 * InputError saying it is not text. Reads the input as it goes, never whole.
 */
export function captureText(input: Readable, file: string): Readable {
  return Readable.from(decode(input, file, false), {objectMode: false, encoding: 'utf8'})
}

/** The text of `input`, read from `file` (`gunzipped`: what its gzip compression held). */
async function* decode(input: AsyncIterable<Buffer | string>, file: string, gunzipped: boolean): AsyncGenerator<string> {
  const it = input[Symbol.asyncIterator]()
  let head = Buffer.alloc(0)
  while (head.length < HEAD_BYTES) {
    const r = await it.next()
    if (r.done === true) break
    head = Buffer.concat([head, bytes(r.value)])
  }
  const binary = BINARY.find((b) => head.subarray(0, b.magic.length).equals(b.magic))
  if (binary !== undefined) {
    const name = file.startsWith('<') || gunzipped ? binary.usual : file
    const unpack = gunzipped ? 'gunzip it, then ' : ''
    throw new InputError(`${file} is ${binary.what}${gunzipped ? ' compressed with gzip' : ''}, not text: ${unpack}run \`${binary.fix.replace('FILE', name)}\` and import that`)
  }
  if (head.subarray(0, 2).equals(GZIP)) {
    // pipeline: an error on either side (a truncated or corrupt file) ends the reading with it.
    try {
      yield* decode(pipeline(Readable.from(rest(head, it)), createGunzip(), () => undefined), file, true)
    } catch (err) {
      if (!isZlibError(err)) throw err
      throw new InputError(`${file} is not a whole gzip file (${err.message}): was it cut short?`)
    }
    return
  }
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8'
  // Text in UTF-8 never holds a NUL; a binary file read as lines could be one line of gigabytes.
  const nul = encoding === 'utf-8' ? head.indexOf(0) : -1
  if (nul >= 0) throw new InputError(`${file} is not text (a NUL byte at offset ${nul}${gunzipped ? ' of what its gzip compression holds' : ''}): a capture is the text of the trace file, trace-cmd report or perf script`)
  // A TextDecoder drops the byte-order mark, and a character split between chunks waits for its rest.
  const text = new TextDecoder(encoding)
  for await (const chunk of rest(head, it)) yield text.decode(chunk, {stream: true})
  yield text.decode()
}

/** An error zlib raised (its code is Z_BUF_ERROR, Z_DATA_ERROR, ...). */
function isZlibError(err: unknown): err is Error {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined
  return code?.startsWith('Z_') === true
}

/** `head`, then what is left of `it`. */
async function* rest(head: Buffer, it: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  yield head
  for (;;) {
    const r = await it.next()
    if (r.done === true) return
    yield bytes(r.value)
  }
}

function bytes(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
}
