// What both browser tests start with (tests/browser/run.sh runs them): the
// settings run.sh passes, and the tally each prints as its last line,
// "browser: N passed, M failed", which run.sh adds up.
import { mkdirSync } from 'node:fs';

// PHAEN_URL and PHAEN_PASSWORD are required; `who` names the test in messages.
export function settings(who) {
  const s = {
    base: process.env.PHAEN_URL,
    password: process.env.PHAEN_PASSWORD,
    shots: process.env.SCREENSHOT_DIR || 'build/screenshots',
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  };
  if (!s.base || !s.password) {
    console.error(`${who}: set PHAEN_URL and PHAEN_PASSWORD (tests/browser/run.sh does)`);
    process.exit(2);
  }
  mkdirSync(s.shots, { recursive: true });
  return s;
}

// check(desc, ok, detail) counts a check; step(desc, fn) runs a step that must
// not throw (a throw fails it and the caller skips what needs it); finish()
// prints the tally and exits. `prefix` goes before each failure ("approval: ").
export function tally(prefix = '') {
  let passed = 0;
  let failed = 0;
  const check = (desc, ok, detail = '') => {
    if (ok) {
      passed++;
    } else {
      failed++;
      console.error(`browser: FAIL: ${prefix}${desc}${detail ? `: ${detail}` : ''}`);
    }
  };
  const step = async (desc, fn) => {
    try {
      await fn();
      return true;
    } catch (e) {
      check(desc, false, String(e && e.message ? e.message : e).split('\n')[0]);
      return false;
    }
  };
  const finish = () => {
    console.log(`browser: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  return { check, step, finish };
}
