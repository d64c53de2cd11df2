import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { Currency as CurrencyCode } from '../common/money';
import { Money } from '../graphql/money.type';
import { PageInfo } from '../graphql/page-info.type';
import { AUDITED_OPERATIONS, type AuditEntry as AuditEntryRecord } from './audit-entry';

@ObjectType({ simpleResolvers: true, description: 'One money mutation: who, what, on which payment, agreement or charge, how much, and how it ended.' })
export class AuditEntry {
  @Field(() => ID, { description: 'The entry id (also its cursor).' }) id!: string;
  @Field(() => DateTimeResolver) at!: Date;
  @Field({ description: 'The API key id, system:capture-before-expiry for the automatic capture, or console:<key id>:<staff name> for the support console.' }) actor!: string;
  @Field({ description: `The mutation: ${AUDITED_OPERATIONS.join(', ')}.` })
  operation!: string;
  @Field() merchantSerialNumber!: string;
  @Field(() => String, { nullable: true }) reference!: string | null;
  @Field(() => String, { nullable: true }) agreementId!: string | null;
  @Field(() => String, { nullable: true }) chargeId!: string | null;
  @Field(() => Money, { nullable: true, description: 'The amount asked for or decided, when the operation has one.' }) amount!: Money | null;
  @Field() idempotencyKey!: string;
  @Field({ description: 'OK, or the UserError code the operation ended with.' }) outcome!: string;
  @Field(() => String, { nullable: true, description: 'Why it was done, as the person gave it (support console actions).' }) reason!: string | null;

  static from(e: AuditEntryRecord): AuditEntry {
    return Object.assign(new AuditEntry(), {
      id: e.id,
      at: e.at,
      actor: e.actor,
      operation: e.operation,
      merchantSerialNumber: e.msn,
      reference: e.reference ?? null,
      agreementId: e.agreementId ?? null,
      chargeId: e.chargeId ?? null,
      amount: e.amount ? Money.of(e.amount.value, e.amount.currency as CurrencyCode) : null,
      idempotencyKey: e.idempotencyKey,
      outcome: e.outcome,
      reason: e.reason ?? null,
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class AuditEntryEdge {
  @Field() cursor!: string;
  @Field(() => AuditEntry) node!: AuditEntry;
}

@ObjectType({ simpleResolvers: true, description: 'Audit entries, newest first.' })
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge]) edges!: AuditEntryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

