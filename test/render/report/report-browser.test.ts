/**
 * report.html in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * .ci/run with apt), driven by playwright-core, never a downloaded browser. The page must
 * load with no console error and no failed or outgoing request (it is self-contained),
 * and each variant's timeline must be an SVG with one lane per CPU. A screenshot of the
 * page's top (summary, counterexamples, the first timelines) is saved to
 * .artifacts/report.png.
 */
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {chromium} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {SHIPPED_VARIANTS} from '../../../src/variants/registry.ts'
import {smallRaceReport} from './small-race-report.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('../../../.artifacts/', import.meta.url))
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

describe('report.html in headless Chromium', () => {
  let dir: string
  let profile: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kreplay-report-'))
    profile = mkdtempSync(join(tmpdir(), 'kreplay-chromium-'))
    await smallRaceReport(dir)
  }, 120_000)
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true})
    rmSync(profile, {recursive: true, force: true})
  })

  it('loads without errors or requests and draws one lane per CPU for every variant', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true)
    const context = await chromium.launchPersistentContext(profile, {executablePath: CHROMIUM, headless: true, args: ARGS, viewport: {width: 1180, height: 1400}, deviceScaleFactor: 1})
    try {
      const problems: string[] = []
      const page = await context.newPage()
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
      page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`))
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`outgoing request: ${r.url()}`)
      })
      const url = pathToFileURL(join(dir, 'report.html')).href
      const response = await page.goto(url, {waitUntil: 'load'})
      expect(response?.ok()).toBe(true)
      for (const variant of SHIPPED_VARIANTS) {
        const svg = page.locator(`svg.timeline[data-trace="small-race"][data-variant="${variant}"]`)
        expect(await svg.count(), variant).toBe(1)
        const box = await svg.boundingBox()
        expect(box !== null && box.width > 100 && box.height > 10, `${variant}: the SVG has a size`).toBe(true)
        expect(await svg.locator('g.lane').count(), `${variant}: lanes`).toBe(3)
        expect(await svg.locator('g.lane rect[data-tip]').count(), `${variant}: task runs drawn`).toBeGreaterThan(0)
      }
      mkdirSync(ARTIFACTS, {recursive: true})
      await page.screenshot({path: join(ARTIFACTS, 'report.png'), clip: {x: 0, y: 0, width: 1180, height: 1400}})
      // The counterexample of lockfree-naive is drawn as a timeline too, with its finding.
      const cx = page.locator('svg.timeline[data-variant="lockfree-naive (counterexample)"]')
      expect(await cx.count()).toBe(1)
      expect(await cx.locator('g.finding').count()).toBeGreaterThan(0)
      // Hovering a finding shows its detail.
      await cx.locator('g.finding path').first().hover()
      expect(await page.locator('#tip').textContent()).toMatch(/use-after-free|freed-while-referenced/)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)
})
