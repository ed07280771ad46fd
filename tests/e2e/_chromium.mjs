// Headless Debian Chromium for the end-to-end tests (not a test file itself). The flags
// keep Chromium from reaching out on its own (background networking, component updates,
// sync); /usr/bin/chromium comes from scripts/setup.sh, never from a browser download.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
