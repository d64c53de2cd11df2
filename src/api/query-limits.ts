import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/paging';

/**
 * Limits on what one GraphQL document may ask for, checked at validation time before any
 * resolver runs: nesting depth, aliases, and a cost where a list multiplies what is under it by
 * its `first` (a variable counts as the largest page, since variables are not known yet).
 */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 20_000 };

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
}

function measure(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): Measure {
  const total: Measure = { depth: 0, cost: 0, aliases: 0 };
  for (const selection of set.selections) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD) {
      inner = measureField(selection, fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      inner = measure(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]));
    }
    total.depth = Math.max(total.depth, inner.depth);
    total.cost += inner.cost;
    total.aliases += inner.aliases;
  }
  return total;
}

function measureField(field: FieldNode, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): Measure {
  const aliases = field.alias ? 1 : 0;
  if (!field.selectionSet) return { depth: 0, cost: 1, aliases };
  const below = measure(field.selectionSet, fragments, seen);
  return { depth: below.depth + 1, cost: 1 + pageOf(field) * below.cost, aliases: aliases + below.aliases };
}

function pageOf(field: FieldNode): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return 1;
  if (first.value.kind === Kind.INT) return Math.max(1, Math.min(Number(first.value.value), MAX_PAGE_SIZE));
  if (first.value.kind === Kind.VARIABLE) return MAX_PAGE_SIZE;
  return DEFAULT_PAGE_SIZE;
}

/** Measures each operation of a document. */
function measureDocument(context: Pick<ValidationContext, 'getDocument'>): Map<string, Measure> {
  const document = context.getDocument();
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const result = new Map<string, Measure>();
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) result.set(d.name?.value ?? '(anonymous)', measure(d.selectionSet, fragments, new Set()));
  }
  return result;
}

export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      leave() {
        for (const [name, m] of measureDocument(context)) {
          const problem =
            m.depth > limits.maxDepth
              ? `The query ${name} is nested ${m.depth} levels deep; the limit is ${limits.maxDepth}.`
              : m.aliases > limits.maxAliases
                ? `The query ${name} uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`
                : m.cost > limits.maxCost
                  ? `The query ${name} could return about ${m.cost} fields; the limit is ${limits.maxCost}. Ask for smaller pages (first).`
                  : null;
          if (problem) context.reportError(new GraphQLError(problem, { extensions: { code: 'QUERY_TOO_COMPLEX', cost: m.cost, depth: m.depth } }));
        }
      },
    },
  });
}
