import type { Actor } from '../audit/audit-entry';
import { ErrorCode, userError } from '../common/error-code';
import type { AgreementLinks } from './agreement-links';
import type { DraftAgreementRequest, PatchAgreementRequest } from '../vipps/api-types';
import type { RecurringClient } from '../vipps/recurring-client';
import type { RecurringReader } from './recurring-reader';
import type { AgreementRecord } from './recurring-record';
import type { RecurringOutcome, RecurringRunner } from './recurring-run';
import { checkAgreementId, checkCreateAgreement, checkStopAgreement, checkUpdateAgreement, type CreateAgreementCheck, type UpdateAgreementCheck } from './recurring-validation';

export interface CreateAgreementCommand extends CreateAgreementCheck {
  idempotencyKey: string;
  scope?: string | null;
  skipLandingPage?: boolean | null;
}

export type UpdateAgreementCommand = UpdateAgreementCheck;

/**
 * Agreement mutations: create (with an optional initial charge), update and stop. Each one checks
 * the input and the fresh Vipps state first, sends with the caller's idempotency key, reads the
 * agreement back (Vipps answers PATCH with 204/202 and no body) and stores it (which announces
 * what moved).
 */
export class AgreementService {
  constructor(
    private readonly vipps: RecurringClient,
    private readonly reader: RecurringReader,
    private readonly runner: RecurringRunner,
    private readonly links: AgreementLinks,
  ) {}

  create(actor: Actor, msn: string, cmd: CreateAgreementCommand): Promise<RecurringOutcome> {
    const usesOurPage = cmd.merchantAgreementUrl == null;
    return this.runner.mutate<DraftAgreementRequest>({
      actor,
      audited: 'createAgreement',
      amount: cmd.initialCharge ? { value: cmd.initialCharge.amount, currency: cmd.pricing.currency } : null,
      msn,
      key: cmd.idempotencyKey,
      operation: 'create-agreement',
      input: cmd,
      agreementId: null,
      decide: async () => {
        checkCreateAgreement(cmd);
        const agreementUrl = cmd.merchantAgreementUrl ?? this.links.urlForCreateKey(msn, cmd.idempotencyKey);
        return draftBody(cmd, agreementUrl);
      },
      act: async (body) => {
        const created = await this.vipps.createAgreement(msn, body, cmd.idempotencyKey);
        if (usesOurPage) await this.links.remember(msn, cmd.idempotencyKey, created.agreementId);
        const agreement = await this.reader.refreshAgreement(msn, created.agreementId);
        const chargeId = created.chargeId ?? null;
        if (chargeId) await this.reader.refreshCharge(msn, created.agreementId, chargeId);
        return {
          agreementId: created.agreementId,
          chargeId,
          errors: [],
          vippsConfirmationUrl: created.vippsConfirmationUrl ?? agreement?.vippsConfirmationUrl ?? null,
        };
      },
    });
  }

  update(actor: Actor, msn: string, agreementId: string, cmd: UpdateAgreementCommand, idempotencyKey: string): Promise<RecurringOutcome> {
    return this.runner.mutate<PatchAgreementRequest>({
      actor,
      audited: 'updateAgreement',
      amount: null,
      msn,
      key: idempotencyKey,
      operation: 'update-agreement',
      input: { agreementId, ...cmd },
      agreementId,
      decide: async (ctx) => {
        ctx.agreement = await this.current(msn, agreementId);
        checkUpdateAgreement(ctx.agreement, cmd);
        return patchBody(cmd);
      },
      act: async (body) => {
        await this.vipps.updateAgreement(msn, agreementId, body, idempotencyKey);
        await this.readBack(msn, agreementId, false);
        return { agreementId, chargeId: null, errors: [] };
      },
    });
  }

  /** Final (docs/vipps.md §10.6): Vipps also cancels the agreement's pending, due and reserved charges. */
  stop(actor: Actor, msn: string, agreementId: string, idempotencyKey: string): Promise<RecurringOutcome> {
    return this.runner.mutate<{ status: 'STOPPED' }>({
      actor,
      audited: 'stopAgreement',
      amount: null,
      msn,
      key: idempotencyKey,
      operation: 'stop-agreement',
      input: { agreementId },
      agreementId,
      decide: async (ctx) => {
        ctx.agreement = await this.current(msn, agreementId);
        checkStopAgreement(ctx.agreement);
        return { status: 'STOPPED' };
      },
      act: async () => {
        await this.vipps.stopAgreement(msn, agreementId, idempotencyKey);
        await this.readBack(msn, agreementId, true);
        return { agreementId, chargeId: null, errors: [] };
      },
    });
  }

  private async current(msn: string, agreementId: string): Promise<AgreementRecord> {
    checkAgreementId(agreementId);
    const agreement = await this.reader.refreshAgreement(msn, agreementId);
    if (!agreement) throw userError(ErrorCode.NOT_FOUND, `Agreement ${agreementId} was not found.`, ['input', 'agreementId']);
    return agreement;
  }

  /**
   * Store what Vipps now says. After a stop the charges changed too (cancelled by Vipps): one
   * listing refreshes them all.
   */
  private async readBack(msn: string, agreementId: string, withCharges: boolean): Promise<void> {
    await this.reader.refreshAgreement(msn, agreementId);
    if (withCharges) await this.reader.refreshChargeList(msn, agreementId);
  }
}

function draftBody(cmd: CreateAgreementCommand, merchantAgreementUrl: string): DraftAgreementRequest {
  const body: Record<string, unknown> = {
    pricing: {
      type: cmd.pricing.type,
      currency: cmd.pricing.currency,
      ...(cmd.pricing.amount != null ? { amount: cmd.pricing.amount } : {}),
      ...(cmd.pricing.suggestedMaxAmount != null ? { suggestedMaxAmount: cmd.pricing.suggestedMaxAmount } : {}),
    },
    productName: cmd.productName,
    merchantRedirectUrl: cmd.merchantRedirectUrl,
    merchantAgreementUrl,
  };
  if (cmd.interval) body.interval = { unit: cmd.interval.unit, count: cmd.interval.count };
  if (cmd.productDescription != null) body.productDescription = cmd.productDescription;
  if (cmd.phoneNumber != null) body.phoneNumber = cmd.phoneNumber;
  if (cmd.externalId != null) body.externalId = cmd.externalId;
  if (cmd.countryCode != null) body.countryCode = cmd.countryCode;
  if (cmd.scope != null) body.scope = cmd.scope;
  if (cmd.skipLandingPage) body.skipLandingPage = true;
  const initial = cmd.initialCharge;
  if (initial) {
    body.initialCharge = {
      amount: initial.amount,
      description: initial.description,
      transactionType: initial.transactionType,
      ...(initial.orderId != null ? { orderId: initial.orderId } : {}),
      ...(initial.externalId != null ? { externalId: initial.externalId } : {}),
    };
  }
  const c = cmd.campaign;
  if (c) {
    body.campaign = {
      type: c.type,
      price: c.price,
      ...(c.end ? { end: c.end.toISOString() } : {}),
      ...(c.period ? { period: { unit: c.period.unit, count: c.period.count } } : {}),
      ...(c.interval ? { interval: { unit: c.interval.unit, count: c.interval.count } } : {}),
      ...(c.eventDate ? { eventDate: c.eventDate.toISOString() } : {}),
      ...(c.eventText != null ? { eventText: c.eventText } : {}),
    };
  }
  // FLEXIBLE pricing, DKK/EUR and an absent interval are live but not in the stored spec (docs/vipps.md §0).
  return body as unknown as DraftAgreementRequest;
}

function patchBody(cmd: UpdateAgreementCommand): PatchAgreementRequest {
  const body: PatchAgreementRequest = {};
  if (cmd.productName != null) body.productName = cmd.productName;
  if (cmd.productDescription != null) body.productDescription = cmd.productDescription;
  if (cmd.merchantAgreementUrl != null) body.merchantAgreementUrl = cmd.merchantAgreementUrl;
  if (cmd.externalId != null) body.externalId = cmd.externalId;
  if (cmd.interval) body.interval = { type: 'RECURRING', period: { unit: cmd.interval.unit, count: cmd.interval.count } };
  if (cmd.price != null || cmd.suggestedMaxAmount != null) {
    body.pricing = {
      ...(cmd.price != null ? { amount: cmd.price } : {}),
      ...(cmd.suggestedMaxAmount != null ? { suggestedMaxAmount: cmd.suggestedMaxAmount } : {}),
    };
  }
  return body;
}
