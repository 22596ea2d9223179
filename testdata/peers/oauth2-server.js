// A client_credentials token endpoint shaped like Amazon Cognito's, built on
// oauth2-mock-server (keys, JWKS and JWT signing are the library's).
//
// No Cognito emulator serves the client_credentials grant, so the tests use
// this peer for it. It answers the way Cognito's /oauth2/token does:
//   - the client authenticates with HTTP Basic (preferred) or with form
//     client_id/client_secret; a missing or wrong secret or an unknown client
//     is 400 {"error":"invalid_client"};
//   - a requested scope the client may not have is 400 {"error":"invalid_scope"};
//     no scope requested grants all of the client's scopes;
//   - any grant other than client_credentials is 400 {"error":"unsupported_grant_type"};
//   - the body is only access_token, expires_in and token_type "Bearer";
//   - the access token carries sub, token_use "access", client_id, scope,
//     auth_time, version 2, jti, iss, iat, exp and no aud.
//
// Usage: node oauth2-server.js [PORT]
// Environment:
//   PORT        listening port on 127.0.0.1 (argv wins; 0 or unset picks a free one)
//   POOL_ID     user pool id in the issuer and JWKS path (default us-east-1_ccpeer)
//   CLIENTS     JSON [{"id":..,"secret":..,"scopes":[..]}] (default: cc-client)
//   EXPIRES_IN  access token lifetime in seconds (default 3600)
//
// Routes: POST /oauth2/token, GET /{pool}/.well-known/jwks.json,
// GET /{pool}/.well-known/openid-configuration, GET /test/stats
// ({"token_requests":N,"tokens_issued":N,"tokens_refused":N}).
// Prints "oauth2-server ready <url> pool=<pool>" once listening; exits on SIGTERM/SIGINT.

import { randomUUID } from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';

const DEFAULT_CLIENTS = [
  { id: 'cc-client', secret: 'cc-secret', scopes: ['api/read', 'dotnet-demo/dotnet'] },
];

function fail(msg) {
  console.error(`oauth2-server: ${msg}`);
  process.exit(2);
}

function parseClients(raw) {
  if (raw === undefined || raw === '') return DEFAULT_CLIENTS;
  let clients;
  try {
    clients = JSON.parse(raw);
  } catch (err) {
    fail(`CLIENTS is not JSON: ${err.message}`);
  }
  if (!Array.isArray(clients)) fail('CLIENTS must be a JSON array');
  for (const c of clients) {
    if (typeof c?.id !== 'string' || c.id === '') fail('every client needs a string "id"');
    if (typeof c.secret !== 'string' || c.secret === '') fail(`client ${c.id} needs a string "secret"`);
    if (c.scopes === undefined) c.scopes = [];
    if (!Array.isArray(c.scopes) || c.scopes.some((s) => typeof s !== 'string')) {
      fail(`client ${c.id}: "scopes" must be an array of strings`);
    }
  }
  return clients;
}

const port = Number.parseInt(process.argv[2] ?? process.env.PORT ?? '0', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('PORT must be a port number');
const poolId = process.env.POOL_ID || 'us-east-1_ccpeer';
if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId)) fail(`POOL_ID ${JSON.stringify(poolId)} is not a user pool id`);
const expiresIn = Number.parseInt(process.env.EXPIRES_IN || '3600', 10);
if (!Number.isInteger(expiresIn) || expiresIn <= 0) fail('EXPIRES_IN must be a positive number of seconds');
const clients = new Map(parseClients(process.env.CLIENTS).map((c) => [c.id, c]));

const HOST = '127.0.0.1';
const TOKEN_PATH = '/oauth2/token';
const JWKS_PATH = `/${poolId}/.well-known/jwks.json`;

const server = new OAuth2Server(undefined, undefined, {
  endpoints: {
    // The library's own token route issues tokens to anyone; it is moved out
    // of the way (and disabled below) so /oauth2/token is the Cognito-shaped one.
    token: '/_library/token',
    jwks: JWKS_PATH,
    wellKnownDocument: `/${poolId}/.well-known/openid-configuration`,
  },
});
await server.issuer.keys.generate('RS256');

const stats = { token_requests: 0, tokens_issued: 0, tokens_refused: 0 };

function formDecode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

// Decides who the caller is and what it gets, or which OAuth error it earns.
function evaluate(req) {
  if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return { error: 'invalid_request' };
  }
  const body = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'invalid_request' };
  }
  const one = (v) => (Array.isArray(v) ? undefined : v);
  const grantType = one(body.grant_type);
  if (typeof grantType !== 'string' || grantType === '') return { error: 'invalid_request' };

  let clientId;
  let clientSecret;
  const auth = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)\s*$/i.exec(auth);
  if (m) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { error: 'invalid_client' };
    clientId = decoded.slice(0, colon);
    clientSecret = decoded.slice(colon + 1);
    // RFC 6749 2.3.1 form-encodes both before base64 (Go's x/oauth2 does);
    // accept that as well as the raw form.
    if (!clients.has(clientId)) clientId = formDecode(clientId);
    const c = clients.get(clientId);
    if (c !== undefined && clientSecret !== c.secret) clientSecret = formDecode(clientSecret);
  } else if (auth !== '') {
    return { error: 'invalid_client' };
  } else {
    clientId = one(body.client_id);
    clientSecret = one(body.client_secret);
  }
  if (typeof clientId !== 'string' || clientId === '') return { error: 'invalid_client' };
  const client = clients.get(clientId);
  if (client === undefined || typeof clientSecret !== 'string' || clientSecret !== client.secret) {
    return { error: 'invalid_client' };
  }
  if (grantType !== 'client_credentials') return { error: 'unsupported_grant_type' };

  const requested = one(body.scope);
  if (requested !== undefined && typeof requested !== 'string') return { error: 'invalid_scope' };
  let scopes;
  if (requested === undefined || requested.trim() === '') {
    scopes = client.scopes;
  } else {
    scopes = [...new Set(requested.trim().split(/\s+/))];
    if (scopes.some((s) => !client.scopes.includes(s))) return { error: 'invalid_scope' };
  }
  if (scopes.length === 0) return { error: 'invalid_scope' };
  return { client, scopes };
}

server.service.on('beforeTokenSigning', (token, req) => {
  const grant = req.cognitoGrant;
  if (grant === undefined) return;
  const p = token.payload;
  const now = p.iat;
  delete p.aud;
  delete p.nbf;
  Object.assign(p, {
    sub: grant.client.id,
    token_use: 'access',
    scope: grant.scopes.join(' '),
    auth_time: now,
    exp: now + expiresIn,
    version: 2,
    jti: randomUUID(),
    client_id: grant.client.id,
  });
});

// The library's token route is not part of this peer.
server.service.on('beforeResponse', (response) => {
  response.statusCode = 404;
  response.body = { error: 'not_found' };
});

server.service.on('beforeWellKnownOpenIdConfiguration', (response) => {
  const origin = new URL(server.issuer.url).origin;
  response.body = {
    issuer: server.issuer.url,
    jwks_uri: origin + JWKS_PATH,
    token_endpoint: origin + TOKEN_PATH,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
  };
});

function sendJSON(res, status, body) {
  const content = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Content-Length', Buffer.byteLength(content));
  res.end(content);
}

server.service.addRoute('POST', TOKEN_PATH, async (req, res) => {
  stats.token_requests++;
  const verdict = evaluate(req);
  if (verdict.error !== undefined) {
    stats.tokens_refused++;
    sendJSON(res, 400, { error: verdict.error });
    return;
  }
  req.cognitoGrant = verdict;
  const accessToken = await server.service.buildToken(req, expiresIn);
  stats.tokens_issued++;
  sendJSON(res, 200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' });
});

server.service.addRoute('GET', '/test/stats', (_req, res) => {
  sendJSON(res, 200, stats);
});

await server.start(port, HOST);
const actualPort = server.address().port;
server.issuer.url = `http://${HOST}:${actualPort}/${poolId}`;
console.log(`oauth2-server ready http://${HOST}:${actualPort} pool=${poolId}`);

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    // Keep-alive connections would hold close() open; exit regardless.
    setTimeout(() => process.exit(0), 1000).unref();
    server.stop().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  });
}
