import { GraphQLError } from 'graphql';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { merchantFor, requireScope } from '../access/caller';
import { pageInfo } from '../graphql/connection';
import type { AuditContext } from './audit.context';
import { pageSize } from '../graphql/paging';
import { STREAM_ID } from './audit-entry';
import { AuditEntry, AuditEntryConnection } from './audit-entry.type';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: "A merchant's money mutations, newest first (support scope). Filter by reference or agreementId." })
  async auditLog(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Arg('reference', () => String, { nullable: true }) reference: string | null,
    @Arg('agreementId', () => String, { nullable: true }) agreementId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AuditContext,
  ): Promise<AuditEntryConnection> {
    const size = pageSize(first);
    if (after != null && !STREAM_ID.test(after)) {
      throw new GraphQLError('after must be a cursor from a previous auditLog page.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const msn = merchantFor(requireScope(ctx.caller, 'support'), merchantSerialNumber);
    // A merchant the key does not serve has, to this key, no entries.
    if (!msn) return { edges: [], pageInfo: pageInfo([], false, Boolean(after)) };
    const page = await ctx.services.audit.page(msn, { reference, agreementId }, size, after);
    const edges = page.entries.map((e) => ({ cursor: e.id, node: AuditEntry.from(e) }));
    const info = pageInfo(edges, page.hasNextPage, Boolean(after));
    if (page.scannedTo) info.endCursor = page.scannedTo;
    return { edges, pageInfo: info };
  }
}
