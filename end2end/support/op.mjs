// A real OpenID provider for the tests: panva's oidc-provider (OpenID Certified), with its
// development interactions (a log-in form that accepts any user name and password, then a
// consent page), in-memory storage and development signing keys. Never for production.
//
//   OP_PORT=4104 OP_REDIRECT_URIS=http://127.0.0.1:3104/api/auth/sso/local/callback node op.mjs
//
// One client: `kubeorch` / `kubeorch-test-secret` (client_secret_basic, PKCE required). The
// user `<name>` gets the verified email `<name>@example.com`.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT ?? '4104');
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.OP_REDIRECT_URIS ?? '').split(',').filter(Boolean);
if (redirectUris.length === 0) {
  console.error('set OP_REDIRECT_URIS to the client redirect URI(s), comma-separated');
  process.exit(2);
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'kubeorch',
      client_secret: 'kubeorch-test-secret',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['kubeorch-test-only-cookie-key'] },
  async findAccount(_ctx, id) {
    const name = String(id).toLowerCase().replace(/[^a-z0-9._-]/g, '') || 'user';
    return {
      accountId: name,
      async claims() {
        return { sub: name, email: `${name}@example.com`, email_verified: true, name };
      },
    };
  },
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
