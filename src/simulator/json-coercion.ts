/**
 * Vipps' servers read JSON leniently: a number where the OpenAPI file says string is read as
 * that string (`"reference": 1234561795593461050`, `"phoneNumber": 4712345678`), and a string of
 * digits where it says integer is read as the integer (`"count": "2"`). Vipps' own Postman
 * collections send both, so the simulator does the same before it checks a body: each route
 * names the fields whose type it coerces (`BodyTypes`), and everything else is checked as sent.
 */
export type BodyTypes = { readonly [field: string]: 'string' | 'integer' | BodyTypes };

/** The literal text of each number in a parsed body, by holder object and key. */
const numberTexts = new WeakMap<object, Map<string, string>>();

/**
 * `JSON.parse` that remembers each number's source text, so a long number read as a string
 * keeps every digit (1234561795593461050 is not a safe JavaScript number).
 */
export function parseJsonKeepingNumberText(raw: string): unknown {
  return JSON.parse(raw, function (this: object, key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && context?.source !== undefined) {
      const texts = numberTexts.get(this) ?? new Map<string, string>();
      texts.set(key, context.source);
      numberTexts.set(this, texts);
    }
    return value;
  });
}

/** The body with the named fields coerced; other fields, and values that do not fit, are left for the checks. */
export function coerceBody(body: unknown, types: BodyTypes | undefined): unknown {
  if (!types || !isObject(body)) return body;
  const result: Record<string, unknown> = { ...body };
  for (const [field, type] of Object.entries(types)) {
    // An absent field stays absent (not a key holding undefined).
    if (!(field in body)) continue;
    const value = body[field];
    if (typeof type === 'object') result[field] = coerceBody(value, type);
    else if (type === 'string' && typeof value === 'number' && Number.isFinite(value)) result[field] = numberTexts.get(body)?.get(field) ?? String(value);
    else if (type === 'integer' && typeof value === 'string' && /^-?\d{1,15}$/.test(value)) result[field] = Number(value);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
