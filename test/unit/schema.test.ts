import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedSchema } from '../../src/api/schema/emit-schema';

describe('schema.graphql', () => {
  it('is what the code builds (run npm run schema:emit after changing the schema)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});
