/**
 * What `npm start` prints once everything answers: where to point a GraphQL client, and in
 * simulator mode the development credentials. Outside simulator mode it names the environment
 * and never prints a secret.
 */
export interface BannerInfo {
  vippsEnv: 'simulator' | 'test' | 'production';
  port: number;
  redisUrl: string;
  /** True when `npm start` runs its own redis-server (REDIS_URL unset). */
  privateRedis: boolean;
  /** Where the API calls Vipps (the simulator in simulator mode). */
  vippsBaseUrl: string;
  merchants: readonly string[];
  /** The IDE at GET /graphql is served (it follows introspection). */
  ide: boolean;
  /** The API's `/metrics`. */
  metricsUrl: string;
  /** The worker's `/metrics` (`/healthz` beside it); undefined when it took a free port (WORKER_METRICS_PORT=0). */
  workerMetricsUrl: string | undefined;
  /** Only in simulator mode. */
  simulatorUrl?: string;
  devApiKey?: string;
}

export function renderBanner(info: BannerInfo): string {
  const graphql = `http://localhost:${info.port}/graphql`;
  const rows: Array<[string, string]> = [
    ['GraphQL', graphql],
    ['WebSocket', graphql.replace(/^http/, 'ws')],
    ...(info.ide ? ([['IDE', `${graphql}  (open in a browser; works offline)`]] as Array<[string, string]>) : []),
    ['Health', `http://localhost:${info.port}/healthz`],
    ['Metrics', `${info.metricsUrl}  (API; operators only)`],
    ['', `${info.workerMetricsUrl ?? 'a free port (the worker logs it)'}  (worker; /healthz beside it)`],
    ['Redis', `${redactUrl(info.redisUrl)}${info.privateRedis ? '  (private redis-server, data in .data/redis)' : ''}`],
  ];
  if (info.vippsEnv === 'simulator' && info.simulatorUrl) {
    rows.push(
      ['Vipps', `simulator at ${info.simulatorUrl}`],
      ['Control API', `${info.simulatorUrl}/simulator/v1  (clock, behaviour, faults, reset)`],
      ['API key', `${info.devApiKey ?? 'dev'}  (Authorization: Bearer ${info.devApiKey ?? 'dev'})`],
      ['Merchant', info.merchants.join(', ')],
    );
  } else {
    rows.push(
      ['Vipps', `${info.vippsEnv} environment at ${info.vippsBaseUrl}`],
      ['Merchants', info.merchants.join(', ')],
      ['API keys', 'from API_KEYS (send Authorization: Bearer <your key>)'],
    );
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const title = `vipps-graph is running (VIPPS_ENV=${info.vippsEnv})`;
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  const rule = '─'.repeat(Math.max(title.length, ...lines.map((l) => l.length)) + 2);
  return [rule, ` ${title}`, rule, ...lines, rule, ' Ctrl-C stops everything.', ''].join('\n');
}

/** A URL with any password replaced by `***` (a Redis URL may carry one). */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
