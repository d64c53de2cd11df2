import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configOrExit, DEV_API_KEY, type Config } from '../config/config';
import { createLogger } from '../log/logger';
import { createVippsClient } from '../vipps/vipps-client';
import { runChecklist } from './checklist';
import { renderTable } from './checklist-table';

const USAGE = `npm run checklist [-- --api-url URL] [--api-key KEY] [--msn MSN] [--report FILE]
  --api-url  vipps-graph's GraphQL endpoint (default http://localhost:$PORT/graphql)
  --api-key  an API key with payments and recurring scopes (default "dev", simulator mode only)
  --msn      the merchant to run for (default: the first configured merchant)
  --report   where to write the JSON report (default checklist-report.json)
The Vipps environment and merchants come from the usual configuration (VIPPS_ENV, VIPPS_MERCHANTS, …).`;

/**
 * `npm run checklist`: Vipps' go-live checklist through our GraphQL API, a table on stdout, a
 * JSON report on disk. Resolves to the exit status: 0 when no check failed (pending ones do not
 * fail), 1 otherwise, 2 for bad usage.
 */
export async function checklistMain(argv: string[], config: Config, write: (text: string) => void): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { 'api-url': { type: 'string' }, 'api-key': { type: 'string' }, msn: { type: 'string' }, report: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) return write(`${USAGE}\n`), 0;
  const environment = config.vipps.env;
  if (environment === 'production') {
    write('The checklist uses Vipps test endpoints (force approve, force accept); run it against VIPPS_ENV=test or the simulator. In production, make the same flows with real users.\n');
    return 2;
  }
  const apiKey = args['api-key'] ?? (environment === 'simulator' ? DEV_API_KEY : undefined);
  if (!apiKey) return write(`Outside simulator mode give --api-key.\n${USAGE}\n`), 2;
  const msn = args.msn ?? config.vipps.merchants[0]?.msn;
  if (!msn) return write('No merchant is configured (VIPPS_MERCHANTS).\n'), 2;

  const apiUrl = args['api-url'] ?? `http://localhost:${config.port}/graphql`;
  write(`Vipps go-live checklist against ${apiUrl} (VIPPS_ENV=${environment}, merchant ${msn})\n`);
  const vipps = createVippsClient({ config, log: createLogger('warn') });
  const report = await runChecklist({
    apiUrl,
    apiKey,
    msn,
    environment,
    vipps,
    ...(environment === 'simulator' ? { simulatorUrl: config.vipps.baseUrl } : {}),
    progress: (line) => write(`  ${line}\n`),
  });
  const path = resolve(args.report ?? 'checklist-report.json');
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  write(`\n${renderTable(report)}\nReport: ${path}\n`);
  return report.passed ? 0 : 1;
}

if (require.main === module) {
  checklistMain(process.argv.slice(2), configOrExit(), (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`checklist failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
