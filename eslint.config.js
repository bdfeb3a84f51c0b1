// ESLint (flat config): typescript-eslint's recommended rules over the TypeScript sources, tests,
// scripts and benchmarks, plus no-duplicate-imports. A rule switched off is listed with the reason:
// each would need a wide rewrite rather than a fix.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // src/generated/ is written by scripts/bundle-rules.mjs.
  { ignores: ['node_modules/', 'dist/', '.bench/', '.wrangler/', 'coverage/', 'src/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // One import statement per module; `import type` beside a value import of the same module is allowed.
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      // `_`-prefixed names are deliberately unused; a caught error may be ignored.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // The plain-JavaScript tools run on Node (the TypeScript files get Node's types from tsconfig.json).
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests and the fuzz properties read HTTP JSON responses and hostile values untyped, as `any`, at
    // some forty places; typing each response would be a rewrite of those files, not a fix.
    files: ['test/**/*.ts', 'scripts/fuzz/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
