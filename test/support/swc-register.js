/**
 * `node -r ./test/support/swc-register.js some.ts`: runs TypeScript sources without a build, for
 * tests that need a real child process (e.g. `jobs/main.ts`). Compiles each `.ts` file with
 * `@swc/core` using the project's `.swcrc` (legacy decorators with metadata, CommonJS).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook, loaded with `node -r` before any TypeScript */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const options = JSON.parse(readFileSync(join(__dirname, '..', '..', '.swcrc'), 'utf8'));

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename, swcrc: false, configFile: false });
  module._compile(code, filename);
};
