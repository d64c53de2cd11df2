import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { merchantForMutation, requireScope } from '../access/caller';
import { UserFacingError } from '../common/error-code';
import type { RecurringContext } from './recurring.context';
import { UserError } from '../graphql/user-error.type';
import { Agreement } from './agreement.type';
import { Charge } from './charge.type';
import type { RecurringOutcome } from './recurring-run';
import { isAgreementId, isChargeId } from './recurring-validation';
import {
  CancelChargeInput,
  CaptureChargeInput,
  CreateAgreementInput,
  CreateChargeInput,
  RefundChargeInput,
  StopAgreementInput,
  UpdateAgreementInput,
} from './recurring.inputs';
import { AgreementPayload, ChargePayload, CreateAgreementPayload } from './recurring.payloads';

type Located = RecurringOutcome & { msn?: string };

/** Thin: pick the merchant, call the agreement or charge service (which audits), shape the payload. */
@Resolver()
export class RecurringMutationResolver {
  @Mutation(() => CreateAgreementPayload, { description: 'Draft an agreement (optionally with an initial charge). Send the customer to vippsConfirmationUrl.' })
  async createAgreement(@Arg('input') input: CreateAgreementInput, @Ctx() ctx: RecurringContext): Promise<CreateAgreementPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.agreements.create(actor, msn, {
        idempotencyKey: input.idempotencyKey,
        pricing: input.pricing,
        interval: input.interval,
        productName: input.productName,
        productDescription: input.productDescription,
        merchantRedirectUrl: input.merchantRedirectUrl,
        merchantAgreementUrl: input.merchantAgreementUrl,
        phoneNumber: input.phoneNumber,
        initialCharge: input.initialCharge,
        campaign: input.campaign,
        externalId: input.externalId,
        countryCode: input.countryCode,
        scope: input.scope,
        skipLandingPage: input.skipLandingPage,
      }),
    );
    const payload = await agreementPayload(ctx, outcome);
    return Object.assign(new CreateAgreementPayload(), payload, {
      vippsConfirmationUrl: outcome.errors.length === 0 ? (outcome.vippsConfirmationUrl ?? payload.agreement?.vippsConfirmationUrl ?? null) : null,
    });
  }

  @Mutation(() => AgreementPayload, { description: 'Change price, product texts, suggested max amount, interval or links of an ACTIVE agreement.' })
  async updateAgreement(@Arg('input') input: UpdateAgreementInput, @Ctx() ctx: RecurringContext): Promise<AgreementPayload> {
    const { merchantSerialNumber, agreementId, idempotencyKey, ...changes } = input;
    const outcome = await withMerchant(ctx, merchantSerialNumber, (msn, actor) => ctx.services.agreements.update(actor, msn, agreementId, changes, idempotencyKey));
    return agreementPayload(ctx, outcome);
  }

  @Mutation(() => AgreementPayload, { description: 'Stop an agreement for good; Vipps cancels its pending, due and reserved charges.' })
  async stopAgreement(@Arg('input') input: StopAgreementInput, @Ctx() ctx: RecurringContext): Promise<AgreementPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) => ctx.services.agreements.stop(actor, msn, input.agreementId, input.idempotencyKey));
    return agreementPayload(ctx, outcome);
  }

  @Mutation(() => ChargePayload, { description: 'Charge an ACTIVE agreement on a due date (RECURRING) or at once (UNSCHEDULED).' })
  async createCharge(@Arg('input') input: CreateChargeInput, @Ctx() ctx: RecurringContext): Promise<ChargePayload> {
    const { merchantSerialNumber, agreementId, type, ...rest } = input;
    const outcome = await withMerchant(ctx, merchantSerialNumber, (msn, actor) =>
      ctx.services.charges.create(actor, msn, agreementId, { ...rest, type: type === 'UNSCHEDULED' ? 'UNSCHEDULED' : 'RECURRING' }),
    );
    return chargePayload(ctx, outcome);
  }

  @Mutation(() => ChargePayload, { description: 'Capture a reserved charge: the given amount, or all that is still reserved.' })
  async captureCharge(@Arg('input') input: CaptureChargeInput, @Ctx() ctx: RecurringContext): Promise<ChargePayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.charges.capture(actor, msn, input.agreementId, input.chargeId, input.amount ?? null, input.description ?? null, input.idempotencyKey),
    );
    return chargePayload(ctx, outcome);
  }

  @Mutation(() => ChargePayload, { description: 'Cancel a pending, due or reserved charge, or release the rest of a partly captured one.' })
  async cancelCharge(@Arg('input') input: CancelChargeInput, @Ctx() ctx: RecurringContext): Promise<ChargePayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) => ctx.services.charges.cancel(actor, msn, input.agreementId, input.chargeId, input.idempotencyKey));
    return chargePayload(ctx, outcome);
  }

  @Mutation(() => ChargePayload, { description: 'Refund captured money: the given amount, or all that is refundable.' })
  async refundCharge(@Arg('input') input: RefundChargeInput, @Ctx() ctx: RecurringContext): Promise<ChargePayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.charges.refund(actor, msn, input.agreementId, input.chargeId, input.amount ?? null, input.description ?? null, input.idempotencyKey),
    );
    return chargePayload(ctx, outcome);
  }
}

async function withMerchant(ctx: RecurringContext, requested: string | null | undefined, act: (msn: string, actor: string) => Promise<RecurringOutcome>): Promise<Located> {
  const caller = requireScope(ctx.caller, 'recurring:write');
  let msn: string;
  try {
    msn = merchantForMutation(caller, requested);
  } catch (error) {
    if (error instanceof UserFacingError) return { agreementId: null, chargeId: null, errors: [error.error] };
    throw error;
  }
  return { ...(await act(msn, caller.keyId)), msn };
}

/** A refused or unconfirmed operation keeps its UserError even when the agreement or charge cannot be read now. */
function unlessRefused(outcome: Located) {
  return (error: unknown): null => {
    if (outcome.errors.length > 0) return null;
    throw error;
  };
}

async function agreementPayload(ctx: RecurringContext, outcome: Located): Promise<AgreementPayload> {
  const record =
    outcome.msn && outcome.agreementId && isAgreementId(outcome.agreementId)
      ? await ctx.loaders.recurring.agreement.load({ msn: outcome.msn, agreementId: outcome.agreementId }).catch(unlessRefused(outcome))
      : null;
  return Object.assign(new AgreementPayload(), { agreement: record ? Agreement.from(record) : null, errors: outcome.errors.map((e) => UserError.from(e)) });
}

async function chargePayload(ctx: RecurringContext, outcome: Located): Promise<ChargePayload> {
  const known = outcome.msn && outcome.agreementId && outcome.chargeId && isAgreementId(outcome.agreementId) && isChargeId(outcome.chargeId);
  const key = known && outcome.msn && outcome.agreementId && outcome.chargeId ? { msn: outcome.msn, agreementId: outcome.agreementId, chargeId: outcome.chargeId } : null;
  const record = key ? await ctx.loaders.recurring.charge.load(key).catch(unlessRefused(outcome)) : null;
  return Object.assign(new ChargePayload(), { charge: record ? Charge.from(record) : null, errors: outcome.errors.map((e) => UserError.from(e)) });
}
