/* global document, location, URL, React, ReactDOM, GraphiQL, graphqlWs */
// Starts GraphiQL on the page `ide.page.ts` renders. A file served from 'self' rather than an
// inline script, because the page's Content-Security-Policy allows no inline script.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var httpUrl = new URL('/graphql', location.href).href;
  var wsUrl = httpUrl.replace(/^http/, 'ws');

  // The API authorises a graphql-ws connection once, from `connectionParams.authorization`
  // (src/api/websocket.ts). GraphiQL's own `subscriptionUrl` would send the headers editor's object
  // as it is (`{ "Authorization": … }`), so subscriptions get a client of ours per credential.
  // graphql-ws clients are lazy: one opens a socket only while it has a subscription.
  var wsClients = new Map();
  function wsClientFor(authorization) {
    var client = wsClients.get(authorization);
    if (!client) {
      client = graphqlWs.createClient({ url: wsUrl, connectionParams: { authorization: authorization }, retryAttempts: 0 });
      wsClients.set(authorization, client);
    }
    return client;
  }

  function headerValue(headers, name) {
    for (var key in headers || {}) {
      if (key.toLowerCase() === name && typeof headers[key] === 'string') return headers[key];
    }
    return undefined;
  }

  // GraphiQL re-parses the editor 100 ms after an edit, so a run right after typing or pasting
  // would pass the previous document, and a new subscription would go over HTTP. Parse the text
  // being sent; if it does not parse, the server says why.
  function withDocument(params, options) {
    try {
      return Object.assign({}, options, { documentAST: GraphiQL.GraphQL.parse(params.query) });
    } catch (error) {
      return options;
    }
  }

  // Queries and mutations go over HTTP with the editor's headers; subscriptions go to the socket
  // of this operation's Authorization header.
  function fetcher(params, options) {
    var authorization = headerValue(options && options.headers, 'authorization');
    return GraphiQL.createFetcher({ url: httpUrl, wsClient: wsClientFor(authorization) })(params, withDocument(params, options));
  }

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: root.getAttribute('data-default-headers') || undefined,
      // Headers hold API keys: never written to localStorage.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
