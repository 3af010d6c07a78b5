// The project form in a real browser (headless Debian Chromium through
// playwright-core): sign in as the planner, look at the plan, open project 12,
// make its quarters not add up, save, see the Thai quarters-sum message next to
// the budget fieldset, fix it, save, see it gone; the page's own JavaScript runs
// under the CSP; download the plan PDF from /exports.
//
// Run by tests/browser/run.sh, which starts the server and passes:
//   PHAEN_URL        http://127.0.0.1:PORT
//   PHAEN_LOGIN      a planner's login; PHAEN_PASSWORD its password; PHAEN_NAME its name
//   SCREENSHOT_DIR   where plan.png and form.png go (build/screenshots)
//   CHROMIUM         the browser (default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { settings, tally } from './lib.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { base, password, shots, executablePath } = settings('edit_project.mjs');
const login = process.env.PHAEN_LOGIN || 'planner';
const { check, step, finish } = tally('');

const quartersSum = 'fieldset:has(input[name="budget"]) p.finding.error[data-rule="quarters-sum"]';

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'th-TH',
    viewport: { width: 1366, height: 900 },
  });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = [];
  const notes = [];
  // Chromium asks for /favicon.ico by itself; its 404 is a note, not a failure.
  const favicon = (url) => new URL(url, base).pathname === '/favicon.ico';
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (favicon(m.location().url || base)) notes.push(`console: ${m.text()} (${m.location().url})`);
    else problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    else if (r.status() >= 400 && favicon(r.url())) notes.push(`${r.status()} ${r.url()}`);
  });

  let ok = await step('sign in', async () => {
    await page.goto(`${base}/`);
    check('signed out, / goes to /signin', new URL(page.url()).pathname === '/signin', page.url());
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/signin"] button[type="submit"]')]);
    check('the dashboard shows the fiscal year', (await page.textContent('main h1')).includes('ปีงบประมาณ พ.ศ. 2568'));
    check('the header names the signed-in user', (await page.textContent('header form.who span')).includes(process.env.PHAEN_NAME || login));
  });

  if (ok) {
    ok = await step('the plan page', async () => {
      await page.click('header nav a[href="/plan"]');
      await page.waitForURL(`${base}/plan`);
      await page.waitForSelector('table.plan tfoot');
      const total = await page.textContent('table.plan tfoot');
      check('the plan shows the total row', total.includes('รวมทั้งสิ้น (21 โครงการ)'), total);
      const rows = await page.locator('table.plan tbody tr[id^="p"]').count();
      check('the plan table shows 21 project rows', rows === 21, `${rows} rows`);
      check('the page is in standards mode (doctype first)', (await page.evaluate(() => document.compatMode)) === 'CSS1Compat');
      check('the style sheet applied (table has borders or padding)', await page.evaluate(() => {
        const td = document.querySelector('table.plan td');
        const s = getComputedStyle(td);
        return s.borderTopStyle !== 'none' || parseFloat(s.paddingTop) > 0;
      }));
      await page.screenshot({ path: join(shots, 'plan.png') });
      await page.screenshot({ path: join(shots, 'plan-full.png'), fullPage: true });
    });
  }

  if (ok) {
    ok = await step('open project 12', async () => {
      const link = page.locator('table.plan a[href="/project/12"]');
      const n = await link.count();
      check('the plan links project 12', n === 1, `${n} links`);
      if (n) await Promise.all([page.waitForURL(`${base}/project/12`), link.first().click()]);
      else await page.goto(`${base}/project/12`); // go on without the link
      check('the form is project 12', (await page.textContent('main h1')).includes('โครงการที่ 12'));
      check('no quarters-sum finding at first', (await page.locator(quartersSum).count()) === 0);
      // the page's own script (app.js, under the CSP): ticking ไม่ใช้งบประมาณ disables the budget
      await page.check('input[name="no_budget"]');
      check('app.js: ticking ไม่ใช้งบประมาณ disables the budget input', await page.isDisabled('input[name="budget"]'));
      await page.uncheck('input[name="no_budget"]');
      check('app.js: unticking enables it again', await page.isEnabled('input[name="budget"]'));
    });
  }

  let q1 = '';
  if (ok) {
    ok = await step('save quarters that do not add up', async () => {
      q1 = await page.inputValue('input[name="q1"]');
      await page.fill('input[name="q1"]', '1,000');
      await Promise.all([page.waitForLoadState('load'), page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('form.project button[type="submit"]')]);
      await page.waitForSelector('form.project');
      const f = page.locator(quartersSum);
      check('the quarters-sum finding is shown once, in the budget fieldset', (await f.count()) === 1);
      check('the finding is visible', await f.first().isVisible());
      const text = await f.first().textContent();
      check('the finding says it in Thai', text.includes('ไตรมาส 1-4 รวม 87,400 บาท แต่งบประมาณ 86,400 บาท (เกิน 1,000 บาท)'), text);
      check('the notice says the save kept errors', (await page.textContent('p.notice')).includes('ยังมีข้อผิดพลาด'));
      check('Q1 keeps what was typed', (await page.inputValue('input[name="q1"]')) === '1,000');
      await f.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'form.png') });
      await page.screenshot({ path: join(shots, 'form-full.png'), fullPage: true });
    });
  }

  if (ok) {
    ok = await step('fix the quarters and save', async () => {
      await page.fill('input[name="q1"]', q1 || '0');
      await Promise.all([page.waitForLoadState('load'), page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('form.project button[type="submit"]')]);
      await page.waitForSelector('form.project');
      check('the quarters-sum finding is gone', (await page.locator(quartersSum).count()) === 0);
      check('the notice says saved', (await page.textContent('p.notice')).trim() === 'บันทึกแล้ว');
    });
  }

  await step('download the plan PDF from /exports', async () => {
    await page.click('header nav a[href="/exports"]');
    await page.waitForURL(`${base}/exports`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/export/plan.pdf"]'),
    ]);
    check('the download is named plan.pdf', download.suggestedFilename() === 'plan.pdf', download.suggestedFilename());
    const file = await download.path();
    const head = readFileSync(file).subarray(0, 5).toString('latin1');
    check('the PDF starts with %PDF-', head === '%PDF-', JSON.stringify(head));
  });

  await step('sign out', async () => {
    await Promise.all([page.waitForURL(`${base}/signin`), page.click('header form.who button[type="submit"]')]);
    await page.goto(`${base}/plan`);
    check('signed out, /plan goes to /signin', new URL(page.url()).pathname === '/signin', page.url());
  });

  check('no console errors, page errors (CSP violations among them) or 5xx responses',
    problems.length === 0, problems.join('; '));
  for (const n of notes) console.log(`browser: note: ${n}`);
  await context.close();
} finally {
  await browser.close();
}

finish();
