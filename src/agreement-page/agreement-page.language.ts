import type { IncomingMessage } from 'node:http';

/**
 * Which language the customer's agreement page speaks: Norwegian (bokmål), Danish, Finnish or
 * English. A `?lang=` the customer picked wins, then the choice remembered in a cookie, then the
 * browser's `Accept-Language`; anything else gets English.
 */
export const LANGUAGES = ['nb', 'da', 'fi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The cookie that keeps a picked language, scoped to one agreement's page (see `languageCookie`). */
export const LANGUAGE_COOKIE = 'agreement_lang';

/** Primary subtags we understand; nn and no are read as bokmål, the written form we offer. */
const BY_PRIMARY_TAG: Record<string, Language> = { nb: 'nb', no: 'nb', nn: 'nb', da: 'da', fi: 'fi', en: 'en' };

export function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4): highest q first,
 * earlier entries win ties, q=0 means "not this one", and `*` or no match means English.
 */
export function fromAcceptLanguage(header: string | undefined): Language {
  const ranges = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { language: BY_PRIMARY_TAG[tag.trim().toLowerCase().split('-')[0] ?? ''], q: q ? Number(q[1]) : 1, index };
    })
    .filter((r): r is { language: Language; q: number; index: number } => r.language !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges[0]?.language ?? 'en';
}

/** The page's language for this request, and whether the customer picked it just now with `?lang=`. */
export interface LanguageChoice {
  language: Language;
  picked: boolean;
}

export function chooseLanguage(req: IncomingMessage): LanguageChoice {
  const asked = new URL(req.url ?? '/', 'http://page').searchParams.get('lang');
  if (isLanguage(asked)) return { language: asked, picked: true };
  const remembered = cookieValue(req.headers.cookie, LANGUAGE_COOKIE);
  if (isLanguage(remembered)) return { language: remembered, picked: false };
  return { language: fromAcceptLanguage(req.headers['accept-language']), picked: false };
}

/** A year-long cookie for this agreement's page only (its path holds the token), not sent elsewhere. */
export function languageCookie(language: Language, pagePath: string, secure: boolean): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=${pagePath}; Max-Age=31536000; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [k, v] = pair.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}
