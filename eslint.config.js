// ESLint flat config: typescript-eslint's strict, type-aware rules over every TypeScript file.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['node_modules/**', 'coverage/**', '.prof/**', 'bin/**', 'eslint.config.js', 'vitest.config.ts']},
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true}],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': ['error', {allowConstantLoopConditions: true}],
    },
  },
)
