import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The server under test: started here with its own port and a throw-away data directory.
// KUBEORCH_SERVER_BIN picks the binary (scripts/test.sh passes the debug build it just tested).
const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'kubeorch-e2e-'));
// A real OpenID provider (oidc-provider, support/op.mjs) for the single sign-on journey.
const opPort = process.env.E2E_OP_PORT ?? String(Number(port) + 1000);
const issuer = `http://127.0.0.1:${opPort}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: 'node support/op.mjs',
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        OP_PORT: opPort,
        OP_REDIRECT_URIS: `${baseURL}/api/auth/sso/local/callback`,
      },
    },
    {
      command: process.env.KUBEORCH_SERVER_BIN ?? './target/debug/server',
      cwd: '..',
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        KUBEORCH_BIND: `127.0.0.1:${port}`,
        KUBEORCH_DATA_DIR: dataDir,
        KUBEORCH_HEARTBEAT_SECS: '1',
        // Every test signs a fresh user up from 127.0.0.1.
        KUBEORCH_SIGNUP_BURST: '200',
        // Builds from a local bare repository (tests/builds.spec.ts).
        KUBEORCH_GIT_ALLOW_FILE: 'true',
        // Git imports from a `git daemon` on 127.0.0.1 (import.spec.ts).
        KUBEORCH_IMPORT_LOCAL_GIT: '1',
        LEPTOS_SITE_ROOT: 'target/site',
        RUST_LOG: process.env.RUST_LOG ?? 'warn',
        KUBEORCH_SSO_PROVIDERS: 'local',
        KUBEORCH_SSO_LOCAL_ISSUER: issuer,
        KUBEORCH_SSO_LOCAL_CLIENT_ID: 'kubeorch',
        KUBEORCH_SSO_LOCAL_CLIENT_SECRET: 'kubeorch-test-secret',
        KUBEORCH_SSO_LOCAL_NAME: 'Local OpenID',
      },
    },
  ],
});
