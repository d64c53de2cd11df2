import type { GraphQLContext } from '../graphql/context';
import type { AuditRecord } from './audit-entry';

type Subject = Omit<AuditRecord, 'actor' | 'outcome' | 'msn'> & { msn?: string | null };

/**
 * Records a mutation the caller's API key made, once the service has answered. Without a
 * merchant (the key does not serve the one asked for) there is no merchant log to write to.
 */
export async function auditMutation(ctx: GraphQLContext, subject: Subject, errors: readonly { code: string }[]): Promise<void> {
  if (!subject.msn || ctx.caller.kind !== 'api-key') return;
  await ctx.services.audit.record({ ...subject, msn: subject.msn, actor: ctx.caller.keyId, outcome: outcomeOf(errors) });
}

export function outcomeOf(errors: readonly { code: string }[]): string {
  return errors[0]?.code ?? 'OK';
}
