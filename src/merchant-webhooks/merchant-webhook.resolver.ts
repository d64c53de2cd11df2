import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { merchantFor, merchantForMutation, requireScope, type Caller } from '../access/caller';
import { ErrorCode, userError, UserFacingError, type UserErrorData } from '../common/error-code';
import { pageInfo } from '../graphql/connection';
import { pageSize } from '../graphql/paging';
import { UserError } from '../graphql/user-error.type';
import { ATTEMPT_ID } from './delivery-log';
import type { MerchantWebhookContext } from './merchant-webhook.context';
import { RegisterMerchantWebhookInput, UpdateMerchantWebhookInput } from './merchant-webhook.inputs';
import { DeleteMerchantWebhookPayload, MerchantWebhookPayload, RedeliverWebhookPayload, RegisterMerchantWebhookPayload } from './merchant-webhook.payloads';
import { MerchantWebhook, WebhookDeliveryAttempt, WebhookDeliveryAttemptConnection } from './merchant-webhook.type';
import { merchantOfEndpoint, parseDeliveryId } from './webhook-endpoint';

/**
 * Outbound merchant webhooks. Everything here needs the `webhooks:write` scope, reading too:
 * endpoints and their delivery log show where a merchant's payment data goes, which is the
 * business of whoever may change it. An endpoint of a merchant the key does not serve is, to the
 * key, one that does not exist.
 */
@Resolver()
export class MerchantWebhookResolver {
  @Query(() => [MerchantWebhook], { description: "A merchant's webhook endpoints, oldest first (webhooks:write scope)." })
  async merchantWebhooks(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Ctx() ctx: MerchantWebhookContext,
  ): Promise<MerchantWebhook[]> {
    const msn = merchantFor(webhookCaller(ctx), merchantSerialNumber);
    if (!msn) return [];
    return (await ctx.services.merchantWebhooks.list(msn)).map((e) => MerchantWebhook.from(e));
  }

  @Query(() => WebhookDeliveryAttemptConnection, { description: "An endpoint's delivery attempts, newest first (webhooks:write scope)." })
  async webhookDeliveries(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: MerchantWebhookContext,
  ): Promise<WebhookDeliveryAttemptConnection> {
    const size = pageSize(first);
    if (after != null && !ATTEMPT_ID.test(after)) {
      throw new GraphQLError('after must be a cursor from a previous webhookDeliveries page.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const caller = webhookCaller(ctx);
    // The endpoint id names its merchant; merchantSerialNumber, when given, must be that one.
    const msn = merchantSerialNumber ?? merchantOfEndpoint(endpointId);
    if (!msn || !caller.merchants.includes(msn)) return { edges: [], pageInfo: pageInfo([], false, Boolean(after)) };
    const page = await ctx.services.merchantWebhooks.attempts(msn, endpointId, size, after);
    const edges = page.attempts.map((a) => ({ cursor: a.id, node: WebhookDeliveryAttempt.from(a) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, Boolean(after)) };
  }

  @Mutation(() => RegisterMerchantWebhookPayload, { description: 'Add a webhook endpoint. The answer holds its signing secret, shown this once.' })
  async registerMerchantWebhook(@Arg('input') input: RegisterMerchantWebhookInput, @Ctx() ctx: MerchantWebhookContext): Promise<RegisterMerchantWebhookPayload> {
    const caller = webhookCaller(ctx);
    const outcome = await outcomeOf(async () => {
      const msn = merchantForMutation(caller, input.merchantSerialNumber);
      return ctx.services.merchantWebhooks.register(msn, { url: input.url, types: input.types });
    });
    return Object.assign(new RegisterMerchantWebhookPayload(), {
      webhook: outcome.value ? MerchantWebhook.from(outcome.value.endpoint) : null,
      secret: outcome.value?.secret ?? null,
      errors: outcome.errors,
    });
  }

  @Mutation(() => MerchantWebhookPayload, { description: 'Change an endpoint: its URL, its event types, or turn it off and on.' })
  async updateMerchantWebhook(@Arg('input') input: UpdateMerchantWebhookInput, @Ctx() ctx: MerchantWebhookContext): Promise<MerchantWebhookPayload> {
    const caller = webhookCaller(ctx);
    const outcome = await outcomeOf(() =>
      ctx.services.merchantWebhooks.update(endpointMerchant(caller, input.id, ['input', 'id']), input.id, { url: input.url, types: input.types, enabled: input.enabled }),
    );
    return Object.assign(new MerchantWebhookPayload(), { webhook: outcome.value ? MerchantWebhook.from(outcome.value) : null, errors: outcome.errors });
  }

  @Mutation(() => DeleteMerchantWebhookPayload, { description: 'Delete an endpoint, its secret and its delivery log. Deliveries still queued are dropped.' })
  async deleteMerchantWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: MerchantWebhookContext): Promise<DeleteMerchantWebhookPayload> {
    const caller = webhookCaller(ctx);
    const outcome = await outcomeOf(() => ctx.services.merchantWebhooks.remove(endpointMerchant(caller, id, ['id']), id));
    return Object.assign(new DeleteMerchantWebhookPayload(), { deletedId: outcome.errors.length === 0 ? id : null, errors: outcome.errors });
  }

  @Mutation(() => RedeliverWebhookPayload, { description: 'Send a delivery again (same event, same webhook-id), with its own retries. Events are kept 3 days.' })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: MerchantWebhookContext): Promise<RedeliverWebhookPayload> {
    const caller = webhookCaller(ctx);
    const outcome = await outcomeOf(async () => {
      const msn = parseDeliveryId(deliveryId)?.msn;
      if (!msn || !caller.merchants.includes(msn)) throw userError(ErrorCode.NOT_FOUND, 'No webhook delivery has this id.', ['deliveryId']);
      await ctx.services.merchantWebhooks.redeliver(msn, deliveryId);
    });
    return Object.assign(new RedeliverWebhookPayload(), { deliveryId: outcome.errors.length === 0 ? deliveryId : null, errors: outcome.errors });
  }
}

function webhookCaller(ctx: MerchantWebhookContext): Extract<Caller, { kind: 'api-key' }> {
  return requireScope(ctx.caller, 'webhooks:write');
}

/** The merchant an endpoint id names, when the key serves it. */
function endpointMerchant(caller: Extract<Caller, { kind: 'api-key' }>, id: string, field: string[]): string {
  const msn = merchantOfEndpoint(id);
  if (!msn || !caller.merchants.includes(msn)) throw userError(ErrorCode.NOT_FOUND, 'No webhook endpoint has this id.', field);
  return msn;
}

/** The service's value, or the UserError it ended with. */
async function outcomeOf<T>(act: () => Promise<T>): Promise<{ value: T | null; errors: UserError[] }> {
  try {
    return { value: await act(), errors: [] };
  } catch (error) {
    if (error instanceof UserFacingError) return { value: null, errors: [UserError.from(error.error as UserErrorData)] };
    throw error;
  }
}
