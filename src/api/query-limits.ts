import {
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  Lexer,
  parse,
  Source,
  TokenKind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { QueryLimits } from '../config/config';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/paging';

/**
 * What one GraphQL document may ask for, checked before validation and execution on HTTP and
 * graphql-ws alike: its size, its tokens, and per operation its depth, aliases and cost (a list
 * multiplies what is under it by its page size).
 *
 * Our own walk rather than a library's: the ones we measured re-walk a fragment at every spread,
 * so a 1 KB document of fragments that each spread the one before twice takes time doubling with
 * every fragment (README "Query limits"). Here each fragment is measured once and a spread adds
 * that measure, so the walk is linear in the document. Numbers may grow huge (2^n); they are
 * only compared.
 */
interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Lists inside introspection have no `first`; this is what each counts for. */
const INTROSPECTION_LIST_SIZE = 5;
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'directives']);

/** Field names that take `first` anywhere in the schema: without it they return a default page. */
export function pagedFieldNames(schema: GraphQLSchema): ReadonlySet<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) if (field.args.some((a) => a.name === 'first')) names.add(field.name);
  }
  return names;
}

/**
 * Measures every operation of a document in one pass over it. Fragments are measured on first
 * spread and remembered; a spread of an unknown fragment or a cycle counts nothing (validation
 * refuses those documents later).
 */
export function measureOperations(document: DocumentNode, paged: ReadonlySet<string>): Map<string, Measure> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const measured = new Map<string, Measure | 'in progress'>();

  const fragment = (name: string): Measure => {
    const known = measured.get(name);
    if (known === 'in progress') return NOTHING;
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition) return NOTHING;
    measured.set(name, 'in progress');
    const result = selections(definition.selectionSet, definition.typeCondition.name.value.startsWith('__'));
    measured.set(name, result);
    return result;
  };

  const selections = (set: SelectionSetNode, introspection: boolean): Measure => {
    const total: Measure = { depth: 0, aliases: 0, cost: 0 };
    for (const selection of set.selections) {
      const inner =
        selection.kind === Kind.FIELD
          ? field(selection, introspection)
          : selection.kind === Kind.INLINE_FRAGMENT
            ? selections(selection.selectionSet, introspection || (selection.typeCondition?.name.value.startsWith('__') ?? false))
            : fragment(selection.name.value);
      total.depth = Math.max(total.depth, inner.depth);
      total.aliases += inner.aliases;
      total.cost += inner.cost;
    }
    return total;
  };

  const field = (node: FieldNode, introspection: boolean): Measure => {
    const aliases = node.alias ? 1 : 0;
    if (!node.selectionSet) return { depth: 0, aliases, cost: 1 };
    const inIntrospection = introspection || node.name.value.startsWith('__');
    const below = selections(node.selectionSet, inIntrospection);
    const size = inIntrospection ? (INTROSPECTION_LISTS.has(node.name.value) ? INTROSPECTION_LIST_SIZE : 1) : pageOf(node, paged);
    return {
      // Introspection does not count against depth (its type references nest eight levels);
      // its cost still does, so types of fields of types … are refused.
      depth: inIntrospection ? 0 : below.depth + 1,
      aliases: aliases + below.aliases,
      cost: 1 + size * below.cost,
    };
  };

  const result = new Map<string, Measure>();
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) result.set(d.name?.value ?? '(anonymous)', selections(d.selectionSet, false));
  }
  return result;
}

const NOTHING: Measure = Object.freeze({ depth: 0, aliases: 0, cost: 0 });

function pageOf(node: FieldNode, paged: ReadonlySet<string>): number {
  const first = node.arguments?.find((a) => a.name.value === 'first');
  if (!first) return paged.has(node.name.value) ? DEFAULT_PAGE_SIZE : 1;
  if (first.value.kind === Kind.INT) return Math.max(1, Math.min(Number(first.value.value), MAX_PAGE_SIZE));
  return first.value.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
}

type Checked = { kind: 'parsed'; document: DocumentNode } | { kind: 'refused'; error: GraphQLError } | { kind: 'unparsable'; error: GraphQLError };

/**
 * The whole check of one query text: its size, then parsing with the token limit (so a long
 * document is abandoned as soon as it has too many tokens), then each operation's measure.
 */
export function checkQuery(query: string, limits: QueryLimits, paged: ReadonlySet<string>): Checked {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return refused(`The query is ${bytes} bytes long; the limit is ${limits.maxDocumentBytes}.`, 'documentBytes', bytes, limits.maxDocumentBytes);
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const syntax = error instanceof GraphQLError ? error : new GraphQLError('The query could not be read.');
    if (!syntax.message.includes('tokens. Parsing aborted')) return { kind: 'unparsable', error: syntax };
    const tokens = countTokens(query);
    return refused(`The query has ${tokens} tokens; the limit is ${limits.maxTokens}.`, 'tokens', tokens, limits.maxTokens);
  }
  for (const [name, m] of measureOperations(document, paged)) {
    if (m.depth > limits.maxDepth) return refused(`The query ${name} is nested ${m.depth} levels deep; the limit is ${limits.maxDepth}.`, 'depth', m.depth, limits.maxDepth);
    if (m.aliases > limits.maxAliases) return refused(`The query ${name} uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`, 'aliases', m.aliases, limits.maxAliases);
    if (m.cost > limits.maxCost) {
      return refused(`The query ${name} could return about ${formatCount(m.cost)} fields; the limit is ${limits.maxCost}. Ask for smaller pages (first).`, 'cost', m.cost, limits.maxCost);
    }
  }
  return { kind: 'parsed', document };
}

/** Only on the refusal path, for the message; the document is already within the size limit. */
function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A lexing error past the limit: what was counted so far is over the limit already.
  }
  return count;
}

function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : n.toExponential(1);
}

function refused(message: string, limit: keyof typeof LIMIT_NAMES, value: number, max: number): Checked {
  const extensions = { code: 'QUERY_TOO_COMPLEX', limit: LIMIT_NAMES[limit], value: Number.isFinite(value) ? value : Number.MAX_VALUE, max };
  return { kind: 'refused', error: new GraphQLError(message, { extensions }) };
}

const LIMIT_NAMES = { documentBytes: 'GRAPHQL_MAX_DOCUMENT_BYTES', tokens: 'GRAPHQL_MAX_TOKENS', depth: 'GRAPHQL_MAX_DEPTH', aliases: 'GRAPHQL_MAX_ALIASES', cost: 'GRAPHQL_MAX_COST' } as const;
