import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { paymentSubscribers, registerWebhooks, removeQueues, startTestWorker, type TestWorker } from '../../support/live';
import { approve, createPayment } from '../payments/payment-support';
import { launchChromium, SCREENSHOTS } from '../../support/browser';

/**
 * The GraphiQL IDE the API serves at GET /graphql, in a real headless Chromium with no way out:
 * every request to anything but this machine is aborted and recorded, so the IDE works offline.
 * A query over HTTP and a subscription over graphql-ws (with the headers editor's Authorization
 * as `connectionParams.authorization`) run from the IDE against the API, the simulator, Redis
 * and a worker, all real.
 */
jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
/** The README's picture of the IDE (committed): rewritten only when asked, so a test run leaves the tree clean. */
const DOCS_SCREENSHOT = process.env.DOCS_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'ide.png') : undefined;

/** What the page asked for beyond this machine, and what went wrong in it. */
interface Watched {
  outside: string[];
  sockets: string[];
  problems: string[];
}

async function openIde(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page; watched: Watched }> {
  const watched: Watched = { outside: [], sockets: [], problems: [] };
  const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.protocol === 'data:' || target.hostname === '127.0.0.1' || target.hostname === 'localhost') return route.continue();
    watched.outside.push(target.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => void watched.sockets.push(ws.url()));
  page.on('pageerror', (error) => void watched.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) watched.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return { context, page, watched };
}

/** The text of the CodeMirror editor under `selector` (CodeMirror keeps its instance on the element). */
function editorText(page: Page, selector: string): Promise<string> {
  return page.locator(`${selector} .CodeMirror`).first().evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

/** Replaces the query editor's text as a user would: select all, then type (no auto-closed brackets). */
async function typeQuery(page: Page, text: string): Promise<void> {
  await page.locator('.graphiql-query-editor .CodeMirror').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  expect(await editorText(page, '.graphiql-query-editor')).toBe(text);
}

const RESULT = '.result-window';
const PAYMENTS = `{
  payments(first: 5) {
    totalCount
    edges {
      node {
        reference
        state
        amount { value currency }
      }
    }
  }
}`;
const HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';

/** The status of a GET of `url` with its path sent exactly as written. */
function rawStatus(url: string): Promise<number | undefined> {
  const { host, port } = new URL(url);
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  return new Promise((resolve, reject) => {
    get({ host: host.split(':')[0], port, path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('GraphiQL served by the API', () => {
  let api: TestApi;
  let worker: TestWorker;
  beforeAll(async () => {
    // Webhooks and a worker carry the approval at the simulator to the subscription, as in production.
    api = await startTestApi({}, { knownPort: true });
    await registerWebhooks(api);
    worker = await startTestWorker(api);
  });
  afterAll(async () => {
    await worker?.close();
    if (api) await removeQueues(api);
    await api?.close();
  });

  it('runs a query and a subscription from the browser, with nothing fetched from outside', async () => {
    const { payment } = await createPayment(api, { description: 'Concert tickets' });
    const { context, page, watched } = await openIde(browser, `${api.url}/graphql`);

    await expectEventually(async () => expect(JSON.parse(await editorText(page, HEADERS))).toEqual({ Authorization: 'Bearer dev' }));
    const run = page.locator('.graphiql-execute-button');

    await typeQuery(page, PAYMENTS);
    await run.click();
    const listed = await expectEventually(async () => {
      const result = JSON.parse(await editorText(page, RESULT));
      expect(result.data.payments.totalCount).toBe(1);
      return result;
    });
    expect(listed.data.payments.edges).toEqual([{ node: { reference: payment.reference, state: 'CREATED', amount: { value: 100000, currency: 'NOK' } } }]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'ide.png') });
    if (DOCS_SCREENSHOT) await page.screenshot({ path: DOCS_SCREENSHOT });
    // GraphiQL loaded the schema by introspection: the documentation explorer lists the root types.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Subscription', { exact: true }).waitFor();

    await typeQuery(page, `subscription {\n  paymentUpdated(reference: "${payment.reference}") {\n    reference\n    state\n  }\n}`);
    await run.click();
    // The API holds a Redis subscription for the payment once the IDE's subscription is in place.
    await expectEventually(async () => expect(await paymentSubscribers(api, payment.reference)).toBe(1));
    await approve(api, payment.reference);
    await expectEventually(async () => expect(JSON.parse(await editorText(page, RESULT))).toEqual({ data: { paymentUpdated: { reference: payment.reference, state: 'AUTHORIZED' } } }));
    await page.screenshot({ path: join(SCREENSHOTS, 'ide-subscription.png') });

    const origin = new URL(api.url);
    expect(watched.sockets).toEqual([`ws://${origin.host}/graphql`]);
    expect(watched.outside).toEqual([]);
    expect(watched.problems).toEqual([]);
    await context.close();
  });

  it('serves the assets from npm packages by an allow-list, cached for good, and the page with a strict CSP', async () => {
    const pageResponse = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(pageResponse.status).toBe(200);
    const csp = pageResponse.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(api.url).host} wss://${new URL(api.url).host}`);
    const html = await pageResponse.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual([
      '/ide/graphiql@3.9.0/graphiql.min.css',
      '/ide/react@18.3.1/react.production.min.js',
      '/ide/react-dom@18.3.1/react-dom.production.min.js',
      '/ide/graphiql@3.9.0/graphiql.min.js',
      '/ide/graphql-ws@6.4.2/graphql-ws.min.js',
      expect.stringMatching(/^\/ide\/vipps-graph@[0-9a-f]{12}\/ide\.browser\.js$/),
    ]);
    for (const asset of assets) {
      const res = await fetch(`${api.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding')).toBe('gzip'); // fetch asks for it
      expect(res.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    // Only the listed files: no other version, no path from the URL (sent raw: fetch would resolve the dots).
    for (const path of ['/ide/graphiql@3.8.0/graphiql.min.js', '/ide/graphiql@3.9.0/package.json', '/ide/react@18.3.1/../../package.json', '/ide/%2e%2e/%2e%2e/package.json']) {
      expect(await rawStatus(`${api.url}${path}`)).toBe(404);
    }
    // A client asking for JSON, or a GET with a query, still reaches GraphQL.
    const json = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html, application/json', authorization: 'Bearer dev', 'apollo-require-preflight': 'true' } });
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphiQL outside simulator mode', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The Vipps test environment's rules (no dev key made up), pointed at the simulator.
    api = await startTestApi({ VIPPS_ENV: 'test', SIGNING_SECRET: 'a-signing-secret-of-32-characters-or-more' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('opens with an empty headers editor', async () => {
    const { context, page, watched } = await openIde(browser, `${api.url}/graphql`);
    await typeQuery(page, '{ __typename }');
    await page.locator('.graphiql-execute-button').click();
    await expectEventually(async () => expect(JSON.parse(await editorText(page, RESULT)).errors[0].extensions.code).toBe('UNAUTHENTICATED'));
    expect(await editorText(page, HEADERS)).toBe('');
    expect(watched.outside).toEqual([]);
    await context.close();
  });
});

describe('GraphiQL with introspection off', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is not served: GET /graphql reaches Apollo, and the asset URLs are 404', async () => {
    const res = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(res.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(body).not.toMatch(/graphiql/i);
    expect(res.status).toBe(400); // Apollo: a GET with no query is a bad request.
    for (const asset of ['/ide/graphiql@3.9.0/graphiql.min.js', '/ide/react@18.3.1/react.production.min.js']) {
      expect((await fetch(`${api.url}${asset}`)).status).toBe(404);
    }
  });
});
