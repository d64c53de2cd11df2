import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Caller } from '../access/caller';
import { isTrustedDocument } from '../access/trusted-documents';
import type { QueryLimits } from '../config/config';
import { checkQuery, pagedFieldNames } from './query-limits';

/** Accepted query texts kept, by total length (a few hundred typical documents). */
const REMEMBERED_BYTES = 4 * 1024 * 1024;

export type Admission = { kind: 'admitted'; document: DocumentNode } | { kind: 'refused'; error: GraphQLError } | { kind: 'unparsable'; error: GraphQLError };

/**
 * Every query passes here before validation, on HTTP and graphql-ws alike: the query limits, and
 * for a status token the trusted documents. The work is linear in the text sent; a text seen
 * before and admitted is answered from memory, so a busy client's repeated query costs a lookup.
 */
export class QueryGate {
  private readonly admitted = new Map<string, { document: DocumentNode; trusted: boolean }>();
  private rememberedBytes = 0;
  private readonly paged: ReadonlySet<string>;

  constructor(
    schema: GraphQLSchema,
    private readonly limits: QueryLimits,
  ) {
    this.paged = pagedFieldNames(schema);
  }

  admit(query: string, caller: Caller): Admission {
    let entry = this.admitted.get(query);
    if (!entry) {
      const checked = checkQuery(query, this.limits, this.paged);
      if (checked.kind !== 'parsed') return checked;
      entry = { document: checked.document, trusted: isTrustedDocument(checked.document) };
      this.remember(query, entry);
    }
    if (caller.kind === 'status-token' && !entry.trusted) return { kind: 'refused', error: untrusted() };
    return { kind: 'admitted', document: entry.document };
  }

  private remember(query: string, entry: { document: DocumentNode; trusted: boolean }): void {
    while (this.rememberedBytes + query.length > REMEMBERED_BYTES && this.admitted.size > 0) {
      const oldest = this.admitted.keys().next().value as string;
      this.admitted.delete(oldest);
      this.rememberedBytes -= oldest.length;
    }
    this.admitted.set(query, entry);
    this.rememberedBytes += query.length;
  }
}

function untrusted(): GraphQLError {
  return new GraphQLError(
    'A status token may only run the operations shipped for it (PaymentStatus and PaymentStatusUpdated, src/access/status-token.graphql). Use an API key for anything else.',
    { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
  );
}
