import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emittedTrustedDocuments } from './trusted-documents';

/** `npm run documents:emit` (from dist/): trusted-documents.generated.ts from status-token.graphql. */
function main(): void {
  const folder = join(__dirname, '..', '..', '..', 'src', 'access');
  const path = join(folder, 'trusted-documents.generated.ts');
  writeFileSync(path, emittedTrustedDocuments(readFileSync(join(folder, 'status-token.graphql'), 'utf8')));
  process.stdout.write(`wrote ${path}\n`);
}

main();
