import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, specifiedRules, validate } from 'graphql';
import { canonicalText, emittedTrustedDocuments, isTrustedDocument } from '../../src/access/trusted-documents';
import { TRUSTED_DOCUMENTS } from '../../src/access/trusted-documents.generated';
import { buildGraphQLSchema } from '../../src/api/schema/schema';

const folder = join(__dirname, '..', '..', 'src', 'access');

describe('trusted documents (what a status token may run)', () => {
  it('are what status-token.graphql builds (run npm run documents:emit after editing it)', () => {
    const source = readFileSync(join(folder, 'status-token.graphql'), 'utf8');
    expect(readFileSync(join(folder, 'trusted-documents.generated.ts'), 'utf8')).toBe(emittedTrustedDocuments(source));
  });

  it('are valid against the schema: reading one payment and following it', () => {
    const texts = Object.values(TRUSTED_DOCUMENTS);
    expect(texts.map((t) => /(query|subscription) (\w+)/.exec(t)?.[2]).sort()).toEqual(['PaymentStatus', 'PaymentStatusUpdated']);
    for (const text of texts) expect(validate(buildGraphQLSchema(), parse(text), specifiedRules)).toEqual([]);
  });

  it('match whatever the spacing, comments and order of definitions, and nothing else', () => {
    const text = Object.values(TRUSTED_DOCUMENTS)[0] as string;
    const document = parse(text);
    const reordered = { ...document, definitions: [...document.definitions].reverse() };
    expect(isTrustedDocument(parse(`# a comment\n${canonicalText(reordered).replace(/\n\s*/g, ' ')}`))).toBe(true);
    expect(isTrustedDocument(parse(text.replace('state', 'state pspReference')))).toBe(false);
  });
});
