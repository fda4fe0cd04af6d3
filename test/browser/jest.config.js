/**
 * Browser journeys: the built web app (apps/web/dist) served by the real API, with the worker and an
 * in-process SMTP server, driven by playwright-core in Debian's Chromium (/usr/bin/chromium).
 */
const base = require('../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 180000,
  // One API, one worker and one Chromium at a time: the machine has 2 cores.
  maxWorkers: 1,
};
