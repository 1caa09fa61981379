/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, for the
 * single sign-on tests. It runs in its own Node process because the package ships only ES
 * modules. Settings come as JSON in OIDC_TEST_SETTINGS:
 *   { clientId, clientSecret, accounts: { <login>: { claims } } }
 * It prints `issuer <url>` once it listens, then reads the client's redirect URI as one line
 * on stdin (the ACS it serves is configured with the issuer first) and prints `ready`. Its login page asks only for the account name
 * (no password: the tests are about the ACS's side of the flow) and grants what was asked.
 */
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_SETTINGS ?? '{}');
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
console.log(`issuer ${issuer}`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const redirectUri = (await lines.next()).value;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // the role claim rides with the profile scope, and into the ID token itself
  claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'groups'], email: ['email'] },
  conformIdTokenClaims: false,
  findAccount: (_ctx, id) => {
    const account = settings.accounts[id];
    return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined;
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-only-cookie-key'] },
});
provider.on('server_error', (_ctx, err) => console.error('provider error', err));

const page = (uid, message = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><main><h1>Test provider</h1>${message ? `<p role="alert">${message}</p>` : ''}
<form method="post" action="/interaction/${uid}"><label for="login">Account</label> <input id="login" name="login" autofocus>
<button type="submit">Continue</button></form></main></body></html>`;

async function readForm(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(uid));
    return;
  }
  const accountId = (await readForm(req)).get('login') ?? '';
  if (!settings.accounts[accountId]) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(uid, 'unknown account'));
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const m = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
  if (!m) return callback(req, res);
  interaction(req, res, m[1]).catch((err) => {
    console.error('interaction failed', err);
    if (!res.headersSent) res.writeHead(500).end(String(err));
  });
});
console.log('ready');
