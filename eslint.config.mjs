// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const envOnlyInConfig = {
  object: 'process',
  property: 'env',
  message: 'Read configuration through src/config/config.ts; it is the only module that reads the environment (docs/design.md, convention 6).',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'src/vipps/generated/**', 'test/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-properties': ['error', envOnlyInConfig],
    },
  },
  {
    // The config module reads the environment; tests and dev tooling set it up for child processes.
    files: ['src/config/**', 'test/**', 'scripts/**', 'codegen.ts', '*.config.{js,mjs,cjs}'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests look at arbitrary JSON bodies from the simulator and the API.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['scripts/**/*.mjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
