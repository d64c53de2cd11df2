import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subgraphSdl } from './federation';
import { buildGraphQLSchema } from './schema';

/**
 * `npm run schema:emit` writes `schema.graphql`; `npm run schema:check` fails when the committed
 * file differs from what the code builds (run in CI through the tests). The file is the subgraph
 * SDL, exactly what the served schema answers to `{ _service { sdl } }`: `@link`, `@key` and the
 * rest of the schema, sorted by name.
 */
export function printedSchema(): string {
  return `${subgraphSdl(buildGraphQLSchema())}\n`;
}

function main(): void {
  const path = join(__dirname, '..', '..', '..', '..', 'schema.graphql');
  const printed = printedSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== printed) {
      process.stderr.write('schema.graphql is out of date: run npm run schema:emit\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(path, printed);
  process.stdout.write(`wrote ${path}\n`);
}

if (require.main === module) main();
