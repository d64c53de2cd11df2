import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';

/** `.env.example` must list every variable the config schema reads, with the real defaults. */
const root = join(__dirname, '..', '..');

function envExample(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(join(root, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

function schemaVariables(): string[] {
  const source = readFileSync(join(root, 'src', 'config', 'config.ts'), 'utf8');
  const schema = source.slice(source.indexOf('const envSchema = z.object({'), source.indexOf('});', source.indexOf('const envSchema')));
  return [...schema.matchAll(/^\s{2}([A-Z0-9_]+):/gm)].map((m) => m[1] as string);
}

describe('.env.example', () => {
  it('lists every variable of the config schema, and nothing else', () => {
    const documented = Object.keys(envExample()).sort();
    expect(schemaVariables().length).toBeGreaterThan(10);
    expect(documented).toEqual(schemaVariables().sort());
  });

  it('gives the defaults: loading it as is equals loading an empty environment', () => {
    expect(loadConfig(envExample())).toEqual(loadConfig({}));
  });
});
