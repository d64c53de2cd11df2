import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { parse as parseYaml } from 'yaml';

/**
 * Checks simulator responses against the official OpenAPI files in `src/vipps/openapi/`, so the
 * simulator cannot drift from the shapes our client is generated from. The files are read as they
 * are; everything we change about them is in `applySpecQuirks` below, each change with its reason.
 */

/** What the checker needs from an exchange (`SimExchange` fits; `contentType` is used when present). */
export interface ConformanceExchange {
  route: { path: string; api: string };
  method: string;
  path: string;
  status: number;
  body: unknown;
  contentType?: string;
}

export interface ConformanceResult {
  violations: string[];
  checked: number;
  /** Exchanges the specs say nothing about, with why. */
  skipped: { exchange: string; reason: string }[];
}

type Json = Record<string, any>;

interface Spec {
  file: string;
  /** The `$id` the document is registered under, so `$ref`s across files resolve. */
  id: string;
  doc: Json;
  /** Path of `servers[0].url` (e.g. `/webhooks`): spec paths are relative to it. */
  basePath: string;
}

const SPEC_DIR = join(__dirname, '..', '..', 'src', 'vipps', 'openapi');
const SPEC_FILES = ['epayment-v1.yml', 'recurring-v3.yaml', 'webhooks-v1.yaml', 'order-management-v2.yaml', 'access-token.yaml'];
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
/** Subtrees that hold sample data, not schemas. */
const NON_SCHEMA_KEYS = new Set(['example', 'examples', 'x-examples']);

// ---------------------------------------------------------------------------------------------
// Spec quirks: the one place where the official files are corrected before validation.
// ---------------------------------------------------------------------------------------------

/**
 * Every correction, by file. Spec bugs are fixed to their evident intent; [now] drift (docs/vipps.md §0) is allowed.
 * - epayment: `receipt` is a remote $ref to GitHub; pointed at order-management-v2.yaml#/components/schemas/Receipt (docs/vipps.md §16).
 * - epayment: PaymentEvent.required lists the non-existent `paymentAction` and omits `name`; replaced by `name`.
 * - epayment: AdjustResponse (capture/refund/cancel 200) declares application/problem+json; read as application/json.
 * - epayment: [now] Reference is 8–64 characters (spec 8–50); MSN in webhook payloads 4–10 digits (spec 4–6).
 * - epayment: [now] extra response fields (captureGuaranteedUntil, userDetails, shippingDetails, …) need no change: its schemas allow additional properties.
 * - recurring: ChargeResponseV3/V2 `transactionId` pattern `^\d{10+}$` is malformed; read as `^\d{10,}$`. It also "contains null until CHARGED", so null is allowed.
 * - recurring: ChargeResponseV3.required includes `externalId`, which is often null or absent; no longer required, null allowed.
 * - recurring: string `description` limits written as minimum/maximum; read as minLength/maxLength (intent 1–45 chars).
 * - recurring: [now] pricing type FLEXIBLE ({type, currency}), optional `interval` (pay-per-use), charge type UNSCHEDULED, currencies DKK and EUR.
 * - recurring: ChargeResponseV3.id has maxLength 15, but a charge created with an `orderId` (1–50 chars) takes it as its id, as the spec itself says; 50 allowed.
 * - recurring: PATCH …/accept declares a JSON object body on its 204; a 204 has no body, so bodies of 204s are not checked.
 * - access-token: `access_token` is declared `format: byte` (base64), but it is a JWT (base64url segments joined by dots); format dropped.
 * - skipped, not failed: control-API exchanges, the Azure gateway body {statusCode, message} on 401/403/429 (Recurring models it as ErrorFromAzure, which the gateway does not send), routes no spec has (landing pages), and statuses an operation does not document (404 on GET payment, 404 on webhook delete, 400 on GET order).
 * - all: OpenAPI 3.0 `nullable`, boolean exclusiveMinimum/Maximum and `discriminator` are translated for JSON Schema; a discriminated oneOf becomes anyOf because the specs give no mapping from `type` values to branches and the branches overlap.
 */

function applySpecQuirks(file: string, doc: Json): void {
  const schemas = doc.components?.schemas ?? {};
  const omReceipt = `${specId('order-management-v2.yaml')}#/components/schemas/Receipt`;
  if (file === 'epayment-v1.yml') {
    schemas.CreatePaymentRequest.properties.receipt = { $ref: omReceipt };
    schemas.PaymentEvent.required = schemas.PaymentEvent.required.map((name: string) => (name === 'paymentAction' ? 'name' : name));
    const adjust = doc.components.responses.AdjustResponse.content;
    adjust['application/json'] = adjust['application/problem+json'];
    delete adjust['application/problem+json'];
    Object.assign(schemas.Reference, { pattern: '^[a-zA-Z0-9-]{8,64}$', maxLength: 64 });
    Object.assign(schemas.MSN, { pattern: '^[0-9]{4,10}$', maxLength: 10 });
  }
  if (file === 'recurring-v3.yaml') {
    for (const name of ['ChargeResponseV3', 'ChargeResponseV2']) {
      const transactionId = schemas[name]?.properties?.transactionId;
      if (transactionId?.pattern === '^\\d{10+}$') Object.assign(transactionId, { pattern: '^\\d{10,}$', nullable: true });
    }
    const charge = schemas.ChargeResponseV3;
    charge.required = charge.required.filter((name: string) => name !== 'externalId');
    charge.properties.externalId.nullable = true;
    charge.properties.id.maxLength = 50;
    walk(doc, (node) => {
      if (node.type === 'string' && ('minimum' in node || 'maximum' in node)) {
        if ('minimum' in node) node.minLength = node.minimum;
        if ('maximum' in node) node.maxLength = node.maximum;
        delete node.minimum;
        delete node.maximum;
      }
    });
    schemas.FlexiblePricingResponse = {
      type: 'object',
      required: ['type', 'currency'],
      properties: { type: { type: 'string', enum: ['FLEXIBLE'] }, currency: { $ref: '#/components/schemas/Currency' } },
    };
    schemas.pricingResponse.oneOf.push({ $ref: '#/components/schemas/FlexiblePricingResponse' });
    schemas.AgreementResponseV3.required = schemas.AgreementResponseV3.required.filter((name: string) => name !== 'interval');
    schemas.ChargeType.enum.push('UNSCHEDULED');
    for (const name of ['Currency', 'CurrencyV3']) schemas[name].enum = ['NOK', 'DKK', 'EUR'];
  }
  if (file === 'access-token.yaml') {
    for (const name of ['AuthorizationTokenResponse', 'TokenResponse']) delete schemas[name]?.properties?.access_token?.format;
  }
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 schema → JSON Schema (draft-07, as Ajv reads it).
// ---------------------------------------------------------------------------------------------

function toJsonSchema(spec: Spec): void {
  walk(spec.doc, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) node.$ref = `${spec.id}${node.$ref}`;
    if (node.discriminator !== undefined && typeof node.discriminator === 'object') {
      delete node.discriminator;
      if (node.oneOf) {
        node.anyOf = node.oneOf;
        delete node.oneOf;
      }
    }
    for (const key of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
      if (typeof node[key] !== 'boolean') continue;
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (node[key] && typeof node[bound] === 'number') {
        node[key] = node[bound];
        delete node[bound];
      } else {
        delete node[key];
      }
    }
    if (typeof node.format === 'string' && typeof node.type === 'string' && !(node.format in fullFormats)) delete node.format;
    if (node.nullable === true) {
      delete node.nullable;
      makeNullable(node);
    } else if (node.nullable === false) {
      delete node.nullable;
    }
  });
}

function makeNullable(node: Json): void {
  if (typeof node.type === 'string') {
    node.type = [node.type, 'null'];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
    return;
  }
  // `$ref` (or a composition) with `nullable` beside it: wrap, since siblings of $ref are the referenced schema's business.
  const inner = { ...node };
  for (const key of Object.keys(node)) delete node[key];
  node.anyOf = [inner, { type: 'null' }];
}

/** Visits every object in the tree (post-order), skipping sample data. */
function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) if (!NON_SCHEMA_KEYS.has(key)) walk(child, visit);
  visit(value as Json);
}

// ---------------------------------------------------------------------------------------------
// Loading and matching.
// ---------------------------------------------------------------------------------------------

function specId(file: string): string {
  return `https://vipps-graph.local/openapi/${file}`;
}

interface Loaded {
  ajv: Ajv;
  specs: Spec[];
  docs: Map<string, Json>;
  validators: Map<object, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  const specs = SPEC_FILES.map((file): Spec => {
    // The `yaml` package reads YAML 1.2, so `enum: [NO]` stays the string "NO" (docs/vipps.md §16).
    const doc = parseYaml(readFileSync(join(SPEC_DIR, file), 'utf8')) as Json;
    const server = doc.servers?.[0]?.url as string | undefined;
    const basePath = server ? new URL(server).pathname.replace(/\/$/, '') : '';
    return { file, id: specId(file), doc, basePath };
  });
  for (const spec of specs) {
    applySpecQuirks(spec.file, spec.doc);
    toJsonSchema(spec);
    ajv.addSchema(spec.doc, spec.id);
  }
  loaded = { ajv, specs, docs: new Map(specs.map((s) => [s.id, s.doc])), validators: new Map() };
  return loaded;
}

interface Operation {
  spec: Spec;
  specPath: string;
  operation: Json;
}

/** `/epayment/v1/payments/:reference` → the spec operation at `/epayment/v1/payments/{reference}`. */
function findOperation(specs: Spec[], routePath: string, method: string): Operation | undefined {
  const routeSegments = routePath.split('/').filter(Boolean);
  for (const spec of specs) {
    const base = spec.basePath.split('/').filter(Boolean);
    if (!base.every((part, i) => routeSegments[i]?.toLowerCase() === part.toLowerCase())) continue;
    const rest = routeSegments.slice(base.length);
    for (const [specPath, item] of Object.entries<Json>(spec.doc.paths ?? {})) {
      const specSegments = specPath.split('/').filter(Boolean);
      if (specSegments.length !== rest.length) continue;
      const same = specSegments.every((part, i) => {
        const actual = rest[i] as string;
        const specParam = part.startsWith('{');
        const routeParam = actual.startsWith(':');
        return specParam || routeParam ? specParam && routeParam : part.toLowerCase() === actual.toLowerCase();
      });
      const operation = item[method.toLowerCase()];
      if (same && HTTP_METHODS.has(method.toLowerCase()) && operation) return { spec, specPath, operation };
    }
  }
  return undefined;
}

function deref(docs: ReadonlyMap<string, Json>, node: Json): Json {
  let current = node;
  for (let depth = 0; typeof current?.$ref === 'string' && depth < 10; depth += 1) {
    const [id, pointer = ''] = current.$ref.split('#');
    const root = docs.get(id as string);
    current = pointer
      .split('/')
      .filter(Boolean)
      .reduce<Json>((at, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], root ?? {});
  }
  return current;
}

function responseFor(operation: Json, status: number): Json | undefined {
  const responses = operation.responses ?? {};
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

/** The Azure API gateway's body (docs/vipps.md §5); Recurring's `ErrorFromAzure` models a shape the gateway does not send. */
function isGatewayBody(status: number, body: unknown): boolean {
  if (![401, 403, 429].includes(status) || typeof body !== 'object' || body === null) return false;
  const keys = Object.keys(body).sort();
  return keys.length === 2 && keys[0] === 'message' && keys[1] === 'statusCode';
}

function isJson(mediaType: string): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(mediaType);
}

function baseMediaType(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`)
    .join('; ');
}

/** Checks each exchange against the response its spec documents for that status. */
export function checkConformance(exchanges: readonly ConformanceExchange[]): ConformanceResult {
  const { ajv, specs, docs, validators } = load();
  const result: ConformanceResult = { violations: [], checked: 0, skipped: [] };
  for (const exchange of exchanges) {
    const label = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const skip = (reason: string) => result.skipped.push({ exchange: label, reason });
    if (exchange.route.api === 'control') {
      skip('control API (not Vipps)');
      continue;
    }
    const found = findOperation(specs, exchange.route.path, exchange.method);
    if (!found) {
      skip(`no operation for ${exchange.method} ${exchange.route.path} in the specs`);
      continue;
    }
    if (isGatewayBody(exchange.status, exchange.body)) {
      skip('API gateway body');
      continue;
    }
    const response = responseFor(found.operation, exchange.status);
    if (!response) {
      skip(`${found.spec.file} documents no ${exchange.status} for ${exchange.method.toUpperCase()} ${found.specPath}`);
      continue;
    }
    result.checked += 1;
    // A 204 carries no body (RFC 9110 §15.3.5), although recurring-v3 declares one for force accept.
    if (exchange.status === 204) continue;
    const content: Json = deref(docs, response).content ?? {};
    let mediaTypes = Object.keys(content).filter(isJson);
    if (mediaTypes.length === 0) continue; // documented without a body schema: nothing to check
    if (exchange.contentType) {
      const sent = baseMediaType(exchange.contentType);
      const matching = mediaTypes.filter((m) => baseMediaType(m) === sent);
      if (matching.length === 0) {
        result.violations.push(`${label}: content type ${sent} is not documented (${mediaTypes.join(', ')})`);
        continue;
      }
      mediaTypes = matching;
    }
    let firstError: string | undefined;
    const ok = mediaTypes.some((mediaType) => {
      const schema = content[mediaType]?.schema as Json | undefined;
      if (!schema) return true;
      let validate = validators.get(schema);
      if (!validate) {
        validate = ajv.compile(schema);
        validators.set(schema, validate);
      }
      if (validate(exchange.body)) return true;
      firstError ??= `${mediaType}: ${formatErrors(validate.errors)}`;
      return false;
    });
    if (!ok) result.violations.push(`${label} (${found.spec.file} ${exchange.method.toUpperCase()} ${found.specPath}) ${firstError}`);
  }
  return result;
}

/** One line per non-conforming exchange: method, path, status and the schema errors. */
export function conformanceViolations(exchanges: readonly ConformanceExchange[]): string[] {
  return checkConformance(exchanges).violations;
}

/**
 * Errors of `value` against a component schema (e.g. `epayment-v1.yml`, `WebhookEvent`), with the
 * same quirk corrections; undefined when it conforms. For payloads that are not HTTP responses.
 */
export function componentSchemaErrors(file: string, schemaName: string, value: unknown): string | undefined {
  const { ajv } = load();
  const validate = ajv.getSchema(`${specId(file)}#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`${file} has no schema ${schemaName}`);
  return validate(value) ? undefined : formatErrors(validate.errors);
}
