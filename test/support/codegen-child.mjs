// Runs the project's codegen configuration in memory (nothing written) against a running API and
// prints the outputs as JSON: `node test/support/codegen-child.mjs <schema url> <authorization>`.
// A child process, because @graphql-codegen/cli is an ES module tree jest's runtime cannot require.
import { generate } from '@graphql-codegen/cli';
import { codegenConfig } from '../../codegen.ts';

const [schemaUrl, authorization] = process.argv.slice(2);
try {
  const outputs = await generate({ ...codegenConfig(schemaUrl, authorization), silent: true }, false);
  process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
