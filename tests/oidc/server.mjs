// A local OpenID Connect provider for the sign-in tests: node server.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
// Listens on 127.0.0.1 only. Its development login page accepts any user name (the account id); every
// account's claims are synthetic: <id>@example.org (verified) and the name "Synthetic <id>".
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [new URL(redirectUri).origin + "/"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@example.org`, email_verified: true, name: `Synthetic ${id}` }),
  }),
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ["synthetic-test-cookie-key"] },
  conformIdTokenClaims: false, // the ID token carries email and name (what st.user shows)
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
