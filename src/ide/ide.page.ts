import { escapeHtml } from '../common/escape-html';
import type { IdeAsset, IdeAssetName } from './ide.assets';

export interface IdePageOptions {
  assets: Record<IdeAssetName, IdeAsset>;
  /** The headers editor's text when the page opens; empty when undefined. */
  defaultHeaders?: string;
}

/**
 * The GraphiQL page: markup only. Scripts load in order (React, ReactDOM, GraphiQL, graphql-ws,
 * then ours, which starts GraphiQL on `#graphiql` with the headers in its data attribute).
 */
export function renderIdePage({ assets, defaultHeaders }: IdePageOptions): string {
  const script = (name: IdeAssetName) => `<script src="${escapeHtml(assets[name].url)}"></script>`;
  const headers = defaultHeaders === undefined ? '' : ` data-default-headers="${escapeHtml(defaultHeaders)}"`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vipps-graph GraphiQL</title>
<link rel="stylesheet" href="${escapeHtml(assets.graphiqlCss.url)}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql"${headers}>Loading GraphiQL…</div>
${script('react')}
${script('reactDom')}
${script('graphiql')}
${script('graphqlWs')}
${script('start')}
</body>
</html>
`;
}
