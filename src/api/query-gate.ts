import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Caller } from '../access/caller';
import { isTrustedDocument } from '../access/trusted-documents';
import type { QueryLimits } from '../config/config';
import { checkQuery, pagedFieldNames } from './query-limits';

/**
 * Admitted query texts kept, by the length of their text (their parsed documents take several
 * times that): a few hundred typical documents.
 */
const REMEMBERED_BYTES = 4 * 1024 * 1024;

export type Admission = { kind: 'admitted'; document: DocumentNode } | { kind: 'refused'; error: GraphQLError } | { kind: 'unparsable'; error: GraphQLError };

/** An admitted text: its document, and whether it is a trusted document once a status token asked. */
interface Admitted {
  document: DocumentNode;
  trusted?: boolean;
}

/**
 * Every query passes here before validation, on HTTP and graphql-ws alike: the query limits, and
 * for a status token the trusted documents. The work is linear in the text sent; a text seen
 * before and admitted is answered from memory, so a busy client's repeated query costs a lookup.
 * A text a status token may not run is not remembered: a credential that sits in apps and URLs
 * cannot push the API keys' documents out.
 */
export class QueryGate {
  private readonly admitted = new Map<string, Admitted>();
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
    const seen = entry !== undefined;
    if (!entry) {
      const checked = checkQuery(query, this.limits, this.paged);
      if (checked.kind !== 'parsed') return checked;
      entry = { document: checked.document };
    }
    if (caller.kind === 'status-token' && !trusted(entry)) return { kind: 'refused', error: untrusted() };
    if (!seen) this.remember(query, entry);
    return { kind: 'admitted', document: entry.document };
  }

  private remember(query: string, entry: Admitted): void {
    while (this.rememberedBytes + query.length > REMEMBERED_BYTES && this.admitted.size > 0) {
      const oldest = this.admitted.keys().next().value as string;
      this.admitted.delete(oldest);
      this.rememberedBytes -= oldest.length;
    }
    this.admitted.set(query, entry);
    this.rememberedBytes += query.length;
  }
}

/** Worked out when a status token first sends the text (API keys never need it), then kept. */
function trusted(entry: Admitted): boolean {
  entry.trusted ??= isTrustedDocument(entry.document);
  return entry.trusted;
}

function untrusted(): GraphQLError {
  return new GraphQLError(
    'A status token may only run the operations shipped for it (PaymentStatus and PaymentStatusUpdated, src/access/status-token.graphql). Use an API key for anything else.',
    { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
  );
}
