import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {loadVariant, shippedIds} from '../../src/variants/registry.ts'

/** The `key: value` fields of a variant file's header comment, continuation lines joined. */
function headerFields(path: URL): Map<string, string> {
  const text = readFileSync(path, 'utf8')
  const header = text.slice(text.indexOf('/**'), text.indexOf('*/'))
  const fields = new Map<string, string>()
  let key: string | null = null
  for (const line of header.split('\n').map((l) => l.replace(/^\s*\/?\*+ ?/, ''))) {
    const m = /^(id|title|authors|date|kernels|sources):\s+(.*)$/.exec(line)
    if (m) {
      key = m[1]
      fields.set(key, m[2].trim())
    } else if (key !== null && /^ {9,}\S/.test(line)) {
      fields.set(key, `${fields.get(key)!} ${line.trim()}`)
    } else {
      key = null
    }
  }
  return fields
}

describe('variant provenance', () => {
  it.each(shippedIds())('%s: the header comment agrees with meta, which alone lists the sources', async (id) => {
    const {meta} = await loadVariant(id)
    const fields = headerFields(new URL(`../../variants/${id}.ts`, import.meta.url))
    expect({
      id: fields.get('id'),
      title: fields.get('title'),
      authors: fields.get('authors'),
      date: fields.get('date'),
      kernels: fields.get('kernels'),
    }).toEqual({id: meta.id, title: meta.title, authors: meta.authors.join(', '), date: meta.date, kernels: meta.kernels})
    expect(fields.get('sources')).toMatch(/^in `meta` below/)
    expect(meta.sources.length).toBeGreaterThan(0)
  })
})
