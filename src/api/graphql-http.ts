import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { noteErrorCodes } from '../telemetry/graphql-operations';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface GraphQLHandlers<TContext> {
  /** Looks at the query text before Apollo parses it: an error refuses the request there. */
  admit(query: string): GraphQLError | null;
  context(): Promise<TContext>;
}

/** Serves Apollo Server on a plain Node HTTP server: no framework between the socket and GraphQL. */
export async function handleGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  { admit, context }: GraphQLHandlers<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST') {
    const text = await readBody(req);
    if (text === null) return sendJson(res, 413, { errors: [{ message: 'The request body is larger than 1 MB.', extensions: { code: 'BAD_REQUEST' } }] });
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
  }
  const url = req.url ?? '/';
  const query = req.method === 'POST' ? (body as { query?: unknown } | undefined)?.query : new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('query');
  const refusal = typeof query === 'string' ? admit(query) : null;
  if (refusal) return sendGraphQLError(res, refusal);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.includes('?') ? url.slice(url.indexOf('?')) : '', body },
    // Apollo answers a context that throws (a refused credential, the rate limit) before any plugin runs.
    context: () => context().catch((error: unknown) => {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (typeof code === 'string') noteErrorCodes([code]);
      throw error;
    }),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A refusal in GraphQL's response shape, with the status its `http` extension asks for (400 by default). */
function sendGraphQLError(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number }; code?: unknown };
  if (typeof extensions.code === 'string') noteErrorCodes([extensions.code]);
  sendJson(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
