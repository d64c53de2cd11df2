import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const IDE_ASSETS_PREFIX = '/ide/';

/** The files the IDE page loads, by the role the page gives them. */
export type IdeAssetName = 'react' | 'reactDom' | 'graphiql' | 'graphiqlCss' | 'graphqlWs' | 'start';

export interface IdeAsset {
  /** Under IDE_ASSETS_PREFIX, with the package version (or our file's hash) in it, so it can be cached for good. */
  readonly url: string;
  readonly file: string;
  readonly contentType: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Browser builds shipped in npm packages: UMD scripts that set globals, and GraphiQL's stylesheet. */
const FROM_PACKAGES: Record<Exclude<IdeAssetName, 'start'>, { pkg: string; path: string; contentType: string }> = {
  react: { pkg: 'react', path: 'umd/react.production.min.js', contentType: JS },
  reactDom: { pkg: 'react-dom', path: 'umd/react-dom.production.min.js', contentType: JS },
  graphiql: { pkg: 'graphiql', path: 'graphiql.min.js', contentType: JS },
  graphiqlCss: { pkg: 'graphiql', path: 'graphiql.min.css', contentType: CSS },
  graphqlWs: { pkg: 'graphql-ws', path: 'umd/graphql-ws.min.js', contentType: JS },
};

/**
 * Our own script, beside this module: `src/ide/` under ts-node/jest, `dist/src/ide/` once built
 * (`npm run build` copies it, as tsc compiles only .ts).
 */
const START_FILE = 'ide.browser.js';

/**
 * Finds every file up front (a missing one fails at start-up, not at the first browser) and
 * names each by an explicit table: a URL is looked up, never turned into a path.
 */
export function resolveIdeAssets(): Record<IdeAssetName, IdeAsset> {
  const assets = {} as Record<IdeAssetName, IdeAsset>;
  for (const [name, { pkg, path, contentType }] of Object.entries(FROM_PACKAGES)) {
    const manifest = require.resolve(`${pkg}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const file = join(dirname(manifest), path);
    if (!existsSync(file)) throw new Error(`IDE asset ${path} is missing from ${pkg}@${version}`);
    assets[name as IdeAssetName] = { url: `${IDE_ASSETS_PREFIX}${pkg}@${version}/${basename(path)}`, file, contentType };
  }
  const start = join(__dirname, START_FILE);
  if (!existsSync(start)) throw new Error(`IDE script ${start} is missing (npm run build copies it to dist/)`);
  const hash = createHash('sha256').update(readFileSync(start)).digest('hex').slice(0, 12);
  assets.start = { url: `${IDE_ASSETS_PREFIX}vipps-graph@${hash}/${START_FILE}`, file: start, contentType: JS };
  return assets;
}

export interface AssetBody {
  readonly raw: Buffer;
  readonly gzip: Buffer;
}

/** Reads and compresses a file once, at its first request (GraphiQL is ~1 MB, ~300 KB gzipped). */
export function assetBodies(): (asset: IdeAsset) => AssetBody {
  const bodies = new Map<string, AssetBody>();
  return (asset) => {
    let body = bodies.get(asset.file);
    if (!body) {
      const raw = readFileSync(asset.file);
      body = { raw, gzip: gzipSync(raw) };
      bodies.set(asset.file, body);
    }
    return body;
  };
}
