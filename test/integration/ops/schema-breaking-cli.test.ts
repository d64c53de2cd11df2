import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run schema:breaking` in a git repository of its own: which base it compares with (the
 * file's, SCHEMA_BASE, the argument), its exit codes, and what it says when it cannot check.
 */
const ROOT = join(__dirname, '..', '..', '..');
const SCHEMA = 'type Query {\n  payment(reference: String!): Payment\n}\n\ntype Payment {\n  reference: String!\n  description: String\n}\n';
const GIT_ENV = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: '', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: '' };

describe('npm run schema:breaking', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
  const commit = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), text);
    git('add', '.');
    git('commit', '-q', '-m', 'change');
    return git('rev-parse', 'HEAD');
  };
  const accepted = (base: string, entries: { change: string; reason: string }[] = []) => JSON.stringify({ base, accepted: entries });
  const check = (args: string[] = [], env: Record<string, string> = {}) => {
    const { SCHEMA_BASE: _unset, ...inherited } = process.env;
    const run = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'src/api/schema/schema-breaking.ts'), ...args], {
      cwd: repo,
      env: { ...inherited, ...env },
      encoding: 'utf8',
    });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'vg-schema-breaking-'));
    git('init', '-q');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('checks every commit since the base in schema-breaking.json, not only the last one', () => {
    const base = commit({ 'schema.graphql': SCHEMA, 'schema-breaking.json': accepted('0000000') });
    commit({ 'schema-breaking.json': accepted(base) });
    commit({ 'schema.graphql': SCHEMA.replace('  description: String\n', '') });
    commit({ 'README.md': 'a later commit that does not touch the schema\n' });

    const result = check();
    expect(result.code).toBe(1);
    expect(result.out).toContain(`Comparing schema.graphql with ${base} (the base in schema-breaking.json):`);
    expect(result.out).toContain("BREAKING     FIELD_REMOVED Payment.description: Field 'description' was removed from object type 'Payment'");
  });

  it('passes once the change is accepted with a reason', () => {
    const base = commit({ 'schema.graphql': SCHEMA, 'schema-breaking.json': accepted('0000000') });
    commit({
      'schema.graphql': SCHEMA.replace('  description: String\n', '').replace('  reference: String!\n', '  reference: String!\n  amount: Int\n'),
      'schema-breaking.json': accepted(base, [{ change: 'FIELD_REMOVED Payment.description', reason: 'Always null: Vipps never returned one.' }]),
    });
    const result = check();
    expect(result.code).toBe(0);
    expect(result.out).toContain('NON_BREAKING FIELD_ADDED Payment.amount');
    expect(result.out).toContain('(accepted: Always null: Vipps never returned one.)');
  });

  it('compares with the argument, else SCHEMA_BASE, instead of the file', () => {
    const first = commit({ 'schema.graphql': SCHEMA, 'schema-breaking.json': accepted('0000000') });
    const second = commit({ 'schema.graphql': SCHEMA.replace('  description: String\n', '') });
    commit({ 'schema-breaking.json': accepted(second) });
    expect(check().code).toBe(0);
    expect(check([], { SCHEMA_BASE: first }).code).toBe(1);
    expect(check([second], { SCHEMA_BASE: first }).code).toBe(0);
  });

  it('says why it cannot check, with exit code 2', () => {
    commit({ 'schema.graphql': SCHEMA, 'schema-breaking.json': accepted('1234567') });
    expect(check()).toMatchObject({ code: 2, err: 'schema:breaking: the base 1234567 is not a commit in this clone: check the name, or, in a shallow clone, fetch the history (git fetch --unshallow).\n' });

    git('checkout', '-q', '-b', 'side');
    const elsewhere = commit({ 'README.md': 'on a side branch\n' });
    git('checkout', '-q', '-');
    commit({ 'schema-breaking.json': accepted(elsewhere) });
    expect(check()).toMatchObject({ code: 2, err: `schema:breaking: the base ${elsewhere} in schema-breaking.json is not an ancestor of HEAD: set it to a commit of this branch's history.\n` });
  });
});
