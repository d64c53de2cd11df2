import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildASTSchema, GraphQLError, Kind, parse, type ConstDirectiveNode, type DefinitionNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { z } from 'zod';

/**
 * `npm run schema:breaking` (CI): compares the committed schema.graphql with the one at a base
 * commit, prints every change with its criticality (graphql-inspector's rules) and fails on a
 * BREAKING change that schema-breaking.json does not accept with a reason. The base is the
 * argument, else SCHEMA_BASE, else schema-breaking.json's `base`: the newest commit whose schema
 * clients may still rely on, bumped by hand when accepted breaks are released. Every commit after
 * it is checked, however many were pushed at once. Schemas are compared as schemas, not as text.
 */

export const ACCEPTED_FILE = 'schema-breaking.json';

/** A check that could not be made (no such commit, a bad file): said in one sentence. */
export class SchemaCheckError extends Error {}

const acceptedFileSchema = z.object({
  base: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a commit hash'),
  accepted: z.array(
    z.object({
      change: z.string().min(1, 'names a change as printed, e.g. "FIELD_REMOVED Payment.foo"'),
      reason: z.string().trim().min(10, 'says in a sentence why clients are not hurt'),
    }),
  ),
});
export type AcceptedFile = z.infer<typeof acceptedFileSchema>;

export function parseAcceptedFile(text: string): AcceptedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SchemaCheckError(`${ACCEPTED_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = acceptedFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the file'} ${issue.message}`);
    throw new SchemaCheckError(`${ACCEPTED_FILE}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** How a change is named in the output and in schema-breaking.json: type and schema path. */
export function changeKey(change: Change): string {
  return change.path ? `${change.type} ${change.path}` : change.type;
}

const FEDERATION_TYPES = new Set(['_Any', '_Entity', '_Service']);
const FEDERATION_FIELDS = new Set(['_entities', '_service']);
const LINK_SPEC = 'https://specs.apollo.dev/link/v1.0';

/**
 * The schema clients see: the SDL without the federation machinery a subgraph print carries
 * (the `_service`/`_entities` fields and their types, `link__`/`federation__` names, the
 * definitions of the directives a `@link` imports). How a library version prints that machinery
 * changes from release to release (@apollo/subgraph 2.15 dropped an argument of
 * `@federation__external`); our own types, fields and `@key`s are what is compared.
 */
export function clientSchema(sdl: string): GraphQLSchema {
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    throw new SchemaCheckError(`the schema does not parse: ${error instanceof GraphQLError ? error.message : String(error)}`);
  }
  const linked = linkedDirectives(document);
  const machinery = (name: string) => FEDERATION_TYPES.has(name) || name.startsWith('federation__') || name.startsWith('link__');
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      if (!linked.has(definition.name.value) && !machinery(definition.name.value)) definitions.push(definition);
    } else if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      // The link spec's own @link is implied by the federation one (older prints spelled it out).
      definitions.push({ ...definition, directives: definition.directives?.filter((d) => linkUrl(d) !== LINK_SPEC) });
    } else if ('name' in definition && definition.name && machinery(definition.name.value)) {
      continue;
    } else if (definition.kind === Kind.OBJECT_TYPE_EXTENSION && definition.name.value === 'Query') {
      const fields = definition.fields?.filter((f) => !FEDERATION_FIELDS.has(f.name.value)) ?? [];
      if (fields.length > 0 || (definition.directives?.length ?? 0) > 0) definitions.push({ ...definition, fields });
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query') {
      definitions.push({ ...definition, fields: definition.fields?.filter((f) => !FEDERATION_FIELDS.has(f.name.value)) });
    } else {
      definitions.push(definition);
    }
  }
  // Usages of the dropped directives (@key, @shareable, …) stay on the types and are compared.
  return buildASTSchema({ ...document, definitions }, { assumeValidSDL: true });
}

/** `link` and every directive a `@link(import: [...])` brings in, by the name used here. */
function linkedDirectives(document: DocumentNode): Set<string> {
  const names = new Set(['link']);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const imports = directive.arguments?.find((a) => a.name.value === 'import')?.value;
      if (imports?.kind !== Kind.LIST) continue;
      for (const item of imports.values) {
        if (item.kind === Kind.STRING) names.add(item.value.replace(/^@/, ''));
        if (item.kind === Kind.OBJECT) {
          const field = (key: string) => item.fields.find((f) => f.name.value === key)?.value;
          const as = field('as') ?? field('name');
          if (as?.kind === Kind.STRING) names.add(as.value.replace(/^@/, ''));
        }
      }
    }
  }
  return names;
}

function linkUrl(directive: ConstDirectiveNode): string | undefined {
  if (directive.name.value !== 'link') return undefined;
  const url = directive.arguments?.find((a) => a.name.value === 'url')?.value;
  return url?.kind === Kind.STRING ? url.value : undefined;
}

export interface Verdict {
  changes: Change[];
  /** BREAKING changes no entry accepts: the check fails on these. */
  refused: Change[];
  /** Accepted BREAKING changes, with the reason given. */
  accepted: Map<Change, string>;
  /** Entries that matched no change (already in the base, or a typo). */
  unused: AcceptedFile['accepted'];
}

export async function judgeSchemas(oldSdl: string, newSdl: string, accepted: AcceptedFile['accepted']): Promise<Verdict> {
  const changes = await diff(clientSchema(oldSdl), clientSchema(newSdl));
  const reasons = new Map(accepted.map((a) => [a.change, a.reason]));
  const used = new Set<string>();
  const verdict: Verdict = { changes, refused: [], accepted: new Map(), unused: [] };
  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const reason = reasons.get(changeKey(change));
    if (reason === undefined) {
      verdict.refused.push(change);
    } else {
      verdict.accepted.set(change, reason);
      used.add(changeKey(change));
    }
  }
  verdict.unused = accepted.filter((a) => !used.has(a.change));
  return verdict;
}

/** One line per change, then what to do about refused ones. */
export function report(verdict: Verdict, base: string): string[] {
  const lines = verdict.changes.map((change) => {
    const reason = verdict.accepted.get(change);
    const note = reason === undefined ? '' : ` (accepted: ${reason})`;
    return `${change.criticality.level.padEnd(12)} ${changeKey(change)}: ${change.message}${note}`;
  });
  if (verdict.changes.length === 0) lines.push(`schema.graphql has no changes since ${base}.`);
  for (const entry of verdict.unused) lines.push(`note: ${ACCEPTED_FILE} accepts "${entry.change}", which is not a breaking change since ${base}; remove it.`);
  if (verdict.refused.length > 0) {
    lines.push(
      `${verdict.refused.length} breaking change(s) since ${base}. Clients written against that schema would fail. ` +
        `Keep the old field or value beside the new one (deprecate it), or, if no client can be hurt, accept the change in ${ACCEPTED_FILE}: ` +
        `{"change": "${changeKey(verdict.refused[0] as Change)}", "reason": "<why no client is hurt>"}.`,
    );
  }
  return lines;
}

function git(args: string[], root: string): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** The schema.graphql of `base`, checking that the commit is here (a shallow clone may lack it). */
function schemaAt(base: string, fromFile: boolean, root: string): string | null {
  if (git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], root) === null) {
    throw new SchemaCheckError(`the base ${base} is not a commit in this clone: check the name, or, in a shallow clone, fetch the history (git fetch --unshallow).`);
  }
  if (fromFile && git(['merge-base', '--is-ancestor', base, 'HEAD'], root) === null) {
    throw new SchemaCheckError(`the base ${base} in ${ACCEPTED_FILE} is not an ancestor of HEAD: set it to a commit of this branch's history.`);
  }
  return git(['show', `${base}:schema.graphql`], root);
}

function readAtRoot(root: string, name: string): string {
  try {
    return readFileSync(join(root, name), 'utf8');
  } catch {
    throw new SchemaCheckError(`${name} was not found in ${root}: run npm run schema:breaking from the repository's root.`);
  }
}

async function main(): Promise<void> {
  // npm runs scripts from the package root.
  const root = process.cwd();
  const file = parseAcceptedFile(readAtRoot(root, ACCEPTED_FILE));
  // eslint-disable-next-line no-restricted-properties -- an input of this CI tool, not the service's configuration
  const named = process.argv[2] ?? process.env.SCHEMA_BASE;
  const base = named || file.base;
  const oldSdl = schemaAt(base, !named, root);
  if (oldSdl === null) {
    process.stdout.write(`schema.graphql did not exist at ${base}: nothing to compare.\n`);
    return;
  }
  const verdict = await judgeSchemas(oldSdl, readAtRoot(root, 'schema.graphql'), file.accepted);
  process.stdout.write(`Comparing schema.graphql with ${base}${named ? '' : ` (the base in ${ACCEPTED_FILE})`}:\n`);
  for (const line of report(verdict, base)) process.stdout.write(`${line}\n`);
  if (verdict.refused.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (!(error instanceof SchemaCheckError)) throw error;
    process.stderr.write(`schema:breaking: ${error.message}\n`);
    process.exitCode = 2;
  });
}
