// How both Playwright configurations start Debian's Chromium (Playwright's own browser builds
// cannot be downloaded here). Running as root in a sandbox without a network: no setuid
// sandbox, and none of Chromium's background connections (which this machine refuses, many
// at a time).
import process from 'node:process';

export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export const launchOptions = {
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
