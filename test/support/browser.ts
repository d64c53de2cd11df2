import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, driven by playwright-core. The background-networking flags keep
 * it from reaching for Google's hosts, which this machine's closed network refuses.
 */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Screenshots land here (ignored by git with the rest of .data/). */
export const SCREENSHOTS = join(__dirname, '..', '..', '.data', 'screenshots');
