// ESLint flat config: typescript-eslint's strict, type-aware rules over every TypeScript file
// (and test/build-dist.js, the one JavaScript file vitest loads itself),
// and the layer rule (docs/architecture.md): imports only go down the layers.
import js from '@eslint/js'
import boundaries from 'eslint-plugin-boundaries'
import tseslint from 'typescript-eslint'

/**
 * The layers, bottom first. Each folder may import from itself and from the folders listed
 * for it; everything else is an upward (or sideways) edge and an error.
 */
const LAYERS = {
  core: [],
  scenario: ['core'],
  import: ['scenario', 'core'],
  observe: ['scenario', 'core'],
  engine: ['observe', 'scenario', 'core'],
  api: ['engine', 'scenario', 'core'],
  'variant-file': ['variant-file', 'api'],
  variants: ['engine', 'scenario', 'core'],
  compare: ['explore', 'variants', 'engine', 'observe', 'scenario', 'core'],
  explore: ['variants', 'engine', 'observe', 'scenario', 'core'],
  report: ['compare', 'explore', 'variants', 'engine', 'observe', 'scenario', 'core'],
  render: ['report', 'compare', 'explore', 'variants', 'engine', 'observe', 'scenario', 'core'],
  check: ['render', 'report', 'compare', 'explore', 'variants', 'engine', 'observe', 'scenario', 'core'],
  diff: ['render', 'report', 'compare', 'explore', 'variants', 'engine', 'observe', 'scenario', 'core'],
  cli: ['check', 'diff', 'render', 'report', 'compare', 'explore', 'variants', 'engine', 'observe', 'import', 'scenario', 'core'],
  commands: ['cli', 'check', 'diff', 'render', 'report', 'compare', 'explore', 'variants', 'engine', 'observe', 'import', 'scenario', 'core'],
}

/** The kernel calls that make a thread of the function they are handed (src/engine/call-mark.ts's RUNS_ELSEWHERE), as an esquery regex. */
const THREAD_CALLS = '/^(kernelThread|bootThread|kthreadCreate|kthreadRun|callUsermodehelper)$/'

/** Where each layer lives (the first pattern that matches a file wins). */
const ELEMENTS = [
  ...Object.keys(LAYERS)
    .filter((type) => type !== 'api' && type !== 'variant-file')
    .map((type) => ({type, pattern: `src/${type}`, partialMatch: false})),
  {type: 'variant-file', pattern: 'variants', partialMatch: false},
]

/** The boundaries selector for a layer: an element (a folder), or src/api.ts by its file category. */
function selector(layer) {
  return layer === 'api' ? {file: {categories: 'api'}} : {element: {type: layer}}
}

/** A config block that enforces `layers` on `files` (eslint-plugin-boundaries). */
function layerRule(files, layers) {
  return {
    files,
    plugins: {boundaries},
    settings: {'boundaries/elements': ELEMENTS, 'boundaries/files': [{category: 'api', pattern: 'src/api.ts'}]},
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        policies: Object.entries(layers).map(([layer, below]) => ({
          from: selector(layer),
          allow: [layer, ...below].map((to) => ({to: selector(to)})),
        })),
      }],
    },
  }
}

export default tseslint.config(
  {ignores: ['node_modules/**', 'coverage/**', 'dist/**', '.prof/**', 'bin/**', 'eslint.config.js', 'vitest.config.ts']},
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: {allowDefaultProject: ['test/build-dist.js']}, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true}],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': ['error', {allowConstantLoopConditions: true}],
    },
  },
  layerRule(['src/**/*.ts', 'variants/**/*.ts'], LAYERS),
  {
    files: ['src/**/*.ts', 'variants/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        // Inside a function (made at each call), or a class field's initializer (made for each instance).
        selector: ':function FunctionExpression[generator=true], :function FunctionDeclaration[generator=true], PropertyDefinition[static=false] > FunctionExpression[generator=true]',
        message: 'Declare the generator at module level and pass an arrow: `(k) => worker(k, data)`. V8 gives each generator function made at run time its own object map, in the old generation, and that map keeps the whole run that made it alive through every young collection (docs/variant-api.md).',
      }, {
        // The calls that make threads (call-mark.ts, RUNS_ELSEWHERE): some make the thread's
        // generator in the caller's task, so the arrow may only call it, with its data.
        selector: `CallExpression[callee.property.name=${THREAD_CALLS}] > ArrowFunctionExpression:not([body.type='CallExpression']), CallExpression[callee.property.name=${THREAD_CALLS}] > ArrowFunctionExpression > CallExpression.body > :not(Identifier, Literal, MemberExpression, TemplateLiteral).arguments`,
        message: "A thread's arrow does nothing but call its generator with the thread's data, `(k) => worker(k, data)`: some thread calls make the generator in the caller's task, and the stateful search takes what the arrow does as the new thread's (docs/variant-api.md).",
      }],
    },
  },
)
