// The approval of a plan in a real browser (headless Debian Chromium through
// playwright-core), three people at once: one browser, three contexts (each
// with its own cookies) for the planner, the reviewer and the approver.
//   - the planner sees version 1 as a draft whose เสนอแผน button is disabled by
//     the seed's one error finding (project 8's period), fixes the period
//     through the project form, and submits version 1 with a comment;
//   - the reviewer sees it as เสนอแล้ว and presses ตรวจแล้ว เสนอผู้อนุมัติ;
//   - the reviewer has no อนุมัติ button; an approve form put together in the
//     page and submitted anyway is refused (403) and changes nothing;
//   - the approver approves with a comment;
//   - the planner reloads /versions: อนุมัติแล้ว, the log names all three
//     signers with their comments, and the content matches the log; /inbox
//     shows a notice for each of the 9 units, none acknowledged yet.
// Screenshots: versions.png and inbox.png (and -full variants) in SCREENSHOT_DIR.
//
// Run by tests/browser/run.sh after edit_project.mjs, on the same server and
// database (version 1 must still be the seed's draft). It passes:
//   PHAEN_URL                       http://127.0.0.1:PORT
//   PHAEN_PASSWORD                  the password of all three users
//   PHAEN_LOGIN, PHAEN_NAME         the planner
//   PHAEN_REVIEWER, PHAEN_REVIEWER_NAME, PHAEN_APPROVER, PHAEN_APPROVER_NAME
//   SCREENSHOT_DIR                  build/screenshots
//   CHROMIUM                        the browser (default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { settings, tally } from './lib.mjs';
import { join } from 'node:path';

const { base, password, shots, executablePath } = settings('approval.mjs');
const people = {
  planner: { login: process.env.PHAEN_LOGIN || 'planner', name: process.env.PHAEN_NAME || '', role: 'นักวิเคราะห์นโยบายและแผน' },
  reviewer: { login: process.env.PHAEN_REVIEWER || 'reviewer', name: process.env.PHAEN_REVIEWER_NAME || '', role: 'ผู้ตรวจ' },
  approver: { login: process.env.PHAEN_APPROVER || 'approver', name: process.env.PHAEN_APPROVER_NAME || '', role: 'ผู้อนุมัติ (หัวหน้าส่วนราชการ)' },
};
for (const p of Object.values(people)) p.name = p.name || p.login;

const { check, step, finish } = tally('approval: ');

const VID = 1;
const v1 = `section.version#v${VID}`;
const moveForm = (action) => `${v1} form.move[action="/versions/${VID}/${action}"]`;
const comments = {
  submit: 'เสนอเพื่อโปรดพิจารณา (ทดสอบเบราว์เซอร์)',
  review: 'ตรวจแล้วถูกต้อง (ทดสอบเบราว์เซอร์)',
  approve: 'อนุมัติตามเสนอ (ทดสอบเบราว์เซอร์)',
};
// The one request this test makes on purpose that the server refuses.
const refusedPath = `/versions/${VID}/approve`;

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// One context (its own cookies) and page per person, with its problems noted.
async function open(who) {
  const context = await browser.newContext({ locale: 'th-TH', viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const u = { ...people[who], who, context, page, problems: [], notes: [], refusal: false, signedIn: false };
  const path = (url) => new URL(url, base).pathname;
  // Chromium asks for /favicon.ico by itself; its 404 is a note. The wrong-role
  // POST is answered 403 on purpose; Chromium logs that as a console error too.
  const expected = (url) => path(url) === '/favicon.ico' || (u.refusal && path(url) === refusedPath);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url || base;
    (expected(where) ? u.notes : u.problems).push(`${who}: console: ${m.text()} (${where})`);
  });
  page.on('pageerror', (e) => u.problems.push(`${who}: page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) u.problems.push(`${who}: ${r.status()} ${r.url()}`);
    else if (r.status() >= 400 && !expected(r.url())) u.problems.push(`${who}: ${r.status()} ${r.url()}`);
  });
  return u;
}

async function signIn(u) {
  const { page } = u;
  await page.goto(`${base}/signin`);
  await page.fill('input[name="login"]', u.login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/signin"] button[type="submit"]')]);
  const who = await page.textContent('header form.who span');
  check(`${u.who}: the header names ${u.name} (${u.role})`, who.includes(u.name) && who.includes(u.role), who);
  u.signedIn = true;
}

// /versions, fresh (no #fragment, so that a redirect to /versions#v1 is seen).
async function versions(u) {
  await u.page.goto(`${base}/versions`);
  await u.page.waitForSelector(v1);
}

async function status(page) {
  return page.locator(`${v1} h2 span.status`).getAttribute('data-status');
}

// Press a move's button on /versions with a comment; it must come back to
// /versions#v1 through a 303.
async function move(u, action, comment) {
  const { page } = u;
  const form = page.locator(moveForm(action));
  check(`${u.who}: /versions shows the ${action} form once`, (await form.count()) === 1);
  if (comment !== undefined) await form.locator('textarea[name="comment"]').fill(comment);
  const button = form.locator('button[type="submit"]');
  check(`${u.who}: the ${action} button is enabled`, await button.isEnabled());
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/versions/${VID}/${action}`),
    page.waitForURL(`${base}/versions#v${VID}`),
    button.click(),
  ]);
  check(`${u.who}: POST ${action} answers 303`, resp.status() === 303, `${resp.status()}`);
  await page.waitForSelector(v1);
}

const planner = await open('planner');
const reviewer = await open('reviewer');
const approver = await open('approver');
const everyone = [planner, reviewer, approver];

try {
  let ok = await step('planner: sign in and open /versions', async () => {
    await signIn(planner);
    const { page } = planner;
    await Promise.all([page.waitForURL(`${base}/versions`), page.click('header nav a[href="/versions"]')]);
    await page.waitForSelector(v1);
    check('planner: version 1 is a draft', (await status(page)) === 'draft', await status(page));
    check('planner: the status reads [ร่าง]', (await page.textContent(`${v1} h2 span.status`)) === '[ร่าง]');
    const form = page.locator(moveForm('submit'));
    check('planner: the submit form is shown', (await form.count()) === 1);
    check('planner: the seed\'s error finding disables เสนอแผน',
      (await form.locator('button[type="submit"]').isDisabled())
        && (await form.locator('p.finding.error').textContent()).includes('แผนมีข้อผิดพลาด 1 รายการ'));
    check('planner: no review, approve or publish form on a draft',
      (await page.locator(`${moveForm('review')}, ${moveForm('approve')}, ${moveForm('publish')}`).count()) === 0);
  });

  if (ok) {
    ok = await step('planner: fix project 8\'s period through the form', async () => {
      const { page } = planner;
      await page.goto(`${base}/project/8`);
      check('planner: /project/8 is project 8', (await page.textContent('main h1')).includes('โครงการที่ 8'));
      const before = page.locator('p.finding.error[data-rule="spend-outside-period"]');
      check('planner: project 8 shows its spend-outside-period error', (await before.count()) >= 1);
      await page.fill('input[name="period"]', 'ต.ค. 67 - ก.ย. 68');
      await Promise.all([page.waitForLoadState('load'), page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('form.project button[type="submit"]')]);
      await page.waitForSelector('form.project');
      const notice = (await page.textContent('p.notice')).trim();
      check('planner: saved without errors', notice === 'บันทึกแล้ว', notice);
      check('planner: the error is gone', (await page.locator('p.finding.error').count()) === 0);
    });
  }

  if (ok) {
    ok = await step('planner: submit version 1 with a comment', async () => {
      const { page } = planner;
      await versions(planner);
      await move(planner, 'submit', comments.submit);
      check('planner: version 1 is submitted', (await status(page)) === 'submitted', await status(page));
      check('planner: the status reads [เสนอแล้ว]', (await page.textContent(`${v1} h2 span.status`)) === '[เสนอแล้ว]');
      const row = page.locator(`${v1} table.log tbody tr`);
      check('planner: the log has the submit', (await row.count()) === 1, `${await row.count()} rows`);
      const text = await row.first().textContent();
      check('planner: the log row: ร่าง → เสนอแล้ว, the planner, the comment',
        text.includes('ร่าง → เสนอแล้ว') && text.includes(planner.name) && text.includes(comments.submit), text);
      check('planner: no more moves for the planner', (await page.locator(`${v1} form.move`).count()) === 0);
    });
  }

  if (ok) {
    ok = await step('reviewer: sign in, see เสนอแล้ว, review', async () => {
      await signIn(reviewer);
      const { page } = reviewer;
      await Promise.all([page.waitForURL(`${base}/versions`), page.click('header nav a[href="/versions"]')]);
      await page.waitForSelector(v1);
      check('reviewer: sees version 1 as [เสนอแล้ว]', (await page.textContent(`${v1} h2 span.status`)) === '[เสนอแล้ว]');
      check('reviewer: the review button says ตรวจ',
        (await page.textContent(`${moveForm('review')} button`)).includes('ตรวจแล้ว'));
      check('reviewer: a return form too', (await page.locator(moveForm('return')).count()) === 1);
      check('reviewer: no approve form', (await page.locator(moveForm('approve')).count()) === 0);
      await move(reviewer, 'review', comments.review);
      check('reviewer: version 1 is checked', (await status(page)) === 'checked', await status(page));
      check('reviewer: the status reads [ตรวจแล้ว]', (await page.textContent(`${v1} h2 span.status`)) === '[ตรวจแล้ว]');
    });
  }

  // the planner's own cookie is still the planner's (three separate sessions)
  await step('planner: still signed in as the planner', async () => {
    await planner.page.reload();
    const who = await planner.page.textContent('header form.who span');
    check('planner: the planner\'s context is still the planner\'s after the others sign in', who.includes(planner.name), who);
  });

  if (ok) {
    ok = await step('reviewer: approving is refused', async () => {
      const { page } = reviewer;
      await versions(reviewer);
      check('reviewer: no อนุมัติ button on a checked version', (await page.locator(moveForm('approve')).count()) === 0);
      // put the approver's form together in the reviewer's page and submit it
      await page.evaluate(({ vid, comment }) => {
        const csrf = document.querySelector('form.move input[name="csrf"]').value;
        const f = document.createElement('form');
        f.method = 'post';
        f.action = `/versions/${vid}/approve`;
        f.id = 'forged-approve';
        for (const [k, v] of [['csrf', csrf], ['comment', comment]]) {
          const i = document.createElement('input');
          i.type = 'hidden';
          i.name = k;
          i.value = v;
          f.append(i);
        }
        const b = document.createElement('button');
        b.type = 'submit';
        b.textContent = 'อนุมัติ';
        f.append(b);
        document.querySelector('main').append(f);
      }, { vid: VID, comment: 'ผู้ตรวจพยายามอนุมัติ' });
      reviewer.refusal = true;
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === refusedPath),
        page.waitForURL(`${base}${refusedPath}`),
        page.click('#forged-approve button'),
      ]);
      check('reviewer: the approve POST is refused with 403', resp.status() === 403, `${resp.status()}`);
      const msg = await page.textContent('main section.error');
      check('reviewer: the refusal says so in Thai and English',
        msg.includes('อนุมัติได้เฉพาะผู้อนุมัติ') && msg.includes('only approver may approve (you are reviewer)'), msg);
      reviewer.refusal = false;
      await versions(reviewer);
      check('reviewer: version 1 is still checked', (await status(page)) === 'checked', await status(page));
      check('reviewer: the log still has two rows', (await page.locator(`${v1} table.log tbody tr`).count()) === 2);
    });
  }

  if (ok) {
    ok = await step('approver: sign in and approve with a comment', async () => {
      await signIn(approver);
      const { page } = approver;
      await Promise.all([page.waitForURL(`${base}/versions`), page.click('header nav a[href="/versions"]')]);
      await page.waitForSelector(v1);
      check('approver: sees version 1 as [ตรวจแล้ว]', (await page.textContent(`${v1} h2 span.status`)) === '[ตรวจแล้ว]');
      check('approver: the approve button says อนุมัติ', (await page.textContent(`${moveForm('approve')} button`)).trim() === 'อนุมัติ');
      await move(approver, 'approve', comments.approve);
      check('approver: version 1 is approved', (await status(page)) === 'approved', await status(page));
    });
  }

  if (ok) {
    ok = await step('planner: reload /versions and read the log', async () => {
      const { page } = planner;
      await versions(planner);
      check('planner: version 1 reads [อนุมัติแล้ว]', (await page.textContent(`${v1} h2 span.status`)) === '[อนุมัติแล้ว]');
      const rows = page.locator(`${v1} table.log tbody tr`);
      check('planner: the log has three rows', (await rows.count()) === 3, `${await rows.count()} rows`);
      const want = [
        ['ร่าง → เสนอแล้ว', planner, comments.submit],
        ['เสนอแล้ว → ตรวจแล้ว', reviewer, comments.review],
        ['ตรวจแล้ว → อนุมัติแล้ว', approver, comments.approve],
      ];
      for (let i = 0; i < want.length && i < (await rows.count()); i++) {
        const [arrow, u, comment] = want[i];
        const cells = await rows.nth(i).locator('td').allTextContents();
        check(`planner: log row ${i + 1} is ${arrow} by ${u.name} as ${u.role}, with the comment`,
          cells[0] === arrow && cells[1].includes(u.name) && cells[1].includes(`(${u.login})`)
            && cells[2] === u.role && cells[4] === comment && /^[0-9a-f]{12}$/.test(cells[5]),
          JSON.stringify(cells));
      }
      check('planner: the content matches the log',
        (await page.locator(`${v1} p.verify[data-verify="ok"]`).count()) === 1);
      check('planner: the planner may publish now', (await page.locator(moveForm('publish')).count()) === 1);
      await page.locator(`${v1} table.log`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'versions.png') });
      await page.screenshot({ path: join(shots, 'versions-full.png'), fullPage: true });
    });
  }

  if (ok) {
    await step('planner: the notices on /inbox', async () => {
      const { page } = planner;
      await Promise.all([page.waitForURL(`${base}/inbox`), page.click('header nav a[href="/inbox"]')]);
      const sec = page.locator(`section.receipts#r${VID}`);
      await sec.waitFor();
      const h3 = await sec.locator('h3').textContent();
      check('planner: /inbox: none of 9 units has acknowledged yet', h3.includes('รับทราบแล้ว 0 จาก 9 กลุ่ม'), h3);
      const units = await sec.locator('tbody tr[data-unit]').evaluateAll((trs) => trs.map((t) => t.dataset.unit));
      check('planner: /inbox: a notice for each of 9 different units',
        units.length === 9 && new Set(units).size === 9, JSON.stringify(units));
      check('planner: /inbox: every unit is ยังไม่รับทราบ',
        (await sec.locator('tbody tr td .sev-error', { hasText: 'ยังไม่รับทราบ' }).count()) === 9);
      check('planner: /inbox links the approved plan PDF',
        (await sec.locator(`a[href="/export/plan.pdf?version=${VID}"]`).count()) === 1);
      await page.screenshot({ path: join(shots, 'inbox.png') });
      await page.screenshot({ path: join(shots, 'inbox-full.png'), fullPage: true });
    });
  }

  for (const u of everyone) {
    await step(`${u.who}: sign out`, async () => {
      if (!u.signedIn) return;
      await u.page.goto(`${base}/versions`);
      await Promise.all([u.page.waitForURL(`${base}/signin`), u.page.click('header form.who button[type="submit"]')]);
    });
  }

  const problems = everyone.flatMap((u) => u.problems);
  check('no console errors, page errors (CSP violations among them), unexpected 4xx or 5xx responses',
    problems.length === 0, problems.join('; '));
  for (const n of everyone.flatMap((u) => u.notes)) console.log(`browser: note: ${n}`);
} finally {
  await browser.close();
}

finish();
