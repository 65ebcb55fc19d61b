import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `make bench` only: the canvas benchmark (bench/*.bench.ts) against the release server, with no
// time limits that could turn a slow machine into a failure.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 0,
  expect: { timeout: 120_000 },
  use: { ...base.use, trace: 'off', screenshot: 'off', viewport: { width: 1600, height: 900 } },
  // The main config's servers (test identity provider, KubeOrch), KubeOrch from the release build.
  webServer: (Array.isArray(base.webServer) ? base.webServer : [base.webServer!]).map((server) =>
    server.command.includes('server') && !server.command.startsWith('node')
      ? { ...server, command: process.env.KUBEORCH_SERVER_BIN ?? './target/release/server' }
      : server,
  ),
});
