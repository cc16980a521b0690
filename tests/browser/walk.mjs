// The learner's walk through certfolio in a real headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core, with an axe-core accessibility check on every page it visits.
//
//   CERTFOLIO_URL=http://127.0.0.1:PORT SHOTS_DIR=target/browser node tests/browser/walk.mjs
//
// It is started by the Rust test `browser::the_learner_walk_passes_in_chromium` (tests/api/browser.rs),
// which runs the real binary on a fresh data folder first. Exit code 0 = every step held; any
// failed step prints what was expected and what the page showed, and exits 1.
//
// Elements are found by their accessible name and role (what a screen reader announces), the way
// a user finds them; so a renamed button or a lost <label> fails this walk.

import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const BASE = process.env.CERTFOLIO_URL ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.SHOTS_DIR ?? 'target/browser';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
mkdirSync(SHOTS, { recursive: true });
const HERE = path.dirname(new URL(import.meta.url).pathname);
const CERTIFICATE = path.join(HERE, '../fixtures/certificate.pdf');
const BADGE = path.join(HERE, '../../../shared/fixtures/real/openbadges3/ob3_baked_json_itxt.png');
// Issue 13: a baked Open Badges 2.0 PNG whose badge class is only a URL (served, with its
// assertion, by the Rust test's issuer under example.org), and a did:key-signed credential.
const HOSTED_BADGE = path.join(HERE, '../../../shared/fixtures/real/openbadges2/baked_ob2_json_itxt.png');
const SIGNED_CREDENTIAL = path.join(HERE, '../../../shared/fixtures/real/vc/ob3_dcc_eddsa_rdfc_didkey_valid.json');

// Without the background-networking flags Chromium tries to reach Google's hosts at start,
// which a closed CI network refuses; none of that is part of what is tested.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const log = (...a) => console.log('walk:', ...a);
function check(cond, what) {
  if (!cond) throw new Error(`step failed: ${what}`);
  log('ok -', what);
}

/** Every axe violation of impact serious or critical, on every page visited, fails the walk. */
const axeFailures = [];
const axeChecked = [];
async function axeCheck(page, name) {
  // Evaluated through the DevTools protocol, not as a <script>: the page's CSP allows no script
  // at all, and the check must see the page exactly as served.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeChecked.push({ page: name, path: new URL(page.url()).pathname.replace(/\/s\/.*/, '/s/…'), violations: result.violations.map((v) => `${v.impact}:${v.id}`) });
  for (const v of bad) {
    axeFailures.push(`${name} (${page.url()}): [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  }
}

async function shot(page, name, fullPage = true) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  log('screenshot', file);
}

async function noSidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function expectStatus(page, url, status) {
  const res = await page.goto(url);
  return res.status() === status;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
let failed = false;
try {
  const stamp = Date.now().toString(36);
  const email = `walk-${stamp}@example.org`;
  const password = 'correct horse battery staple 42';
  const title = 'Machine Learning for Everyone';

  // ---- The learner, in English, on a laptop-sized window.
  const learner = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await learner.newPage();

  await page.goto(BASE + '/');
  await axeCheck(page, 'home');
  await shot(page, 'home-en');

  // Keyboard: the first Tab reaches the skip link, and focus is visible (a 3 px outline).
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: el.textContent.trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  check(/skip to content/i.test(focused.text), `the first Tab reaches the skip link ("${focused.text}")`);
  check(focused.outline !== 'none' && focused.width >= 2, `focus is visible (outline ${focused.outline} ${focused.width}px)`);
  await page.keyboard.press('Enter');
  check(new URL(page.url()).hash === '#main', 'the skip link jumps to the content');

  // Sign up.
  await page.getByRole('link', { name: 'Sign up' }).first().click();
  check(new URL(page.url()).pathname === '/signup', 'the "Sign up" link leads to /signup');
  await axeCheck(page, 'signup');
  await page.getByLabel('Name', { exact: true }).fill('Alex Martin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForLoadState();
  check(new URL(page.url()).pathname === '/dashboard', `after "Create account" the dashboard opens (at ${page.url()})`);

  // Sign out, then sign in again: the walk proves both doors work.
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForLoadState();
  await page.goto(BASE + '/');
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  check(new URL(page.url()).pathname === '/login', 'the "Sign in" link leads to /login');
  await axeCheck(page, 'login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not the password at all 1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  check(new URL(page.url()).pathname === '/login', 'a wrong password keeps the learner on /login');
  check(await page.getByText(/incorrect|wrong|invalid/i).count() > 0, 'a wrong password shows an error');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  check(new URL(page.url()).pathname === '/dashboard', 'signing in opens the dashboard');
  await axeCheck(page, 'dashboard (empty)');
  await shot(page, 'dashboard-empty-en');

  // The visible language switch, remembered for the account (not only for this browser).
  await page.getByRole('button', { name: 'Français' }).click();
  await page.waitForLoadState();
  check(await page.getAttribute('html', 'lang') === 'fr', 'the header switch turns the pages French');
  const elsewhere = await browser.newContext({ locale: 'en-GB' });
  const other = await elsewhere.newPage();
  await other.goto(BASE + '/login');
  await other.getByLabel('Email', { exact: true }).fill(email);
  await other.getByLabel('Password', { exact: true }).fill(password);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.waitForLoadState();
  check(await other.getAttribute('html', 'lang') === 'fr', 'the choice is remembered for the account, on another browser too');
  await elsewhere.close();
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForLoadState();
  check(await page.getAttribute('html', 'lang') === 'en', 'and switched back to English');

  // Add a course with an invalid hours value: the error is next to the field, nothing typed is lost.
  await page.goto(BASE + '/courses');
  await axeCheck(page, 'courses (empty)');
  await page.getByRole('link', { name: 'Add course' }).first().click();
  check(new URL(page.url()).pathname === '/courses/new', 'the "Add course" link leads to /courses/new');
  await axeCheck(page, 'course form');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Institution', { exact: true }).fill('Université de Lyon');
  await page.getByLabel('Platform', { exact: true }).fill('Coursera');
  await page.getByLabel('Field', { exact: true }).fill('data');
  await page.getByLabel('Hours', { exact: true }).fill('twelve');
  await page.getByLabel('Start date', { exact: true }).fill('2025-09-01');
  await page.getByLabel('End date', { exact: true }).fill('2025-11-15');
  await page.getByLabel('Outcome', { exact: true }).selectOption('completed');
  await page.getByLabel('Attestation kind', { exact: true }).selectOption('verified_certificate');
  await page.getByLabel('Credential ID', { exact: true }).fill('ML-2025-0042');
  await page.getByLabel('Verification URL', { exact: true }).fill('https://www.coursera.org/verify/ML20250042');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForLoadState();
  const hours = page.getByLabel('Hours', { exact: true });
  check(await hours.getAttribute('aria-invalid') === 'true', 'the invalid hours field is marked aria-invalid');
  const errorId = await hours.getAttribute('aria-describedby');
  const errorText = errorId ? await page.locator(`#${errorId}`).innerText() : '';
  check(/hour/i.test(errorText), `an error about hours is shown next to the field ("${errorText}")`);
  check(await page.getByLabel('Title', { exact: true }).inputValue() === title, 'the typed title is kept');
  check(await hours.inputValue() === 'twelve', 'the typed hours value is kept');
  check(await page.getByLabel('Credential ID', { exact: true }).inputValue() === 'ML-2025-0042', 'the typed credential id is kept');
  await axeCheck(page, 'course form with an error');
  await shot(page, 'course-form-error-en');

  await hours.fill('24');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForLoadState();
  await page.goto(BASE + '/courses');
  check(await page.getByText(title).count() > 0, 'the saved course is listed on /courses');
  await axeCheck(page, 'courses (one)');

  // A second, older course, so the portfolio has a little history.
  await page.getByRole('link', { name: 'Add course' }).first().click();
  await page.getByLabel('Title', { exact: true }).fill('Statistics with R');
  await page.getByLabel('Platform', { exact: true }).fill('FUN-MOOC');
  await page.getByLabel('Field', { exact: true }).fill('data');
  await page.getByLabel('Hours', { exact: true }).fill('30');
  await page.getByLabel('Start date', { exact: true }).fill('2024-02-01');
  await page.getByLabel('End date', { exact: true }).fill('2024-04-10');
  await page.getByLabel('Outcome', { exact: true }).selectOption('completed');
  await page.getByLabel('Attestation kind', { exact: true }).selectOption('completion');
  // A link on a host certfolio does not check: shown as the learner's, never fetched.
  await page.getByLabel('Verification URL', { exact: true }).fill('https://verify.example.net/stats-r');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForLoadState();

  // The course's own page: attach the certificate file (a real PDF), shown with its SHA-256.
  await page.goto(BASE + '/courses');
  await page.locator('a[href$="/edit"]', { hasText: title }).first().click();
  await page.waitForLoadState();
  await axeCheck(page, 'course edit page');
  await page.getByLabel('Certificate file', { exact: false }).setInputFiles(CERTIFICATE);
  await page.getByRole('button', { name: 'Upload file' }).click();
  await page.waitForLoadState();
  const sha = createHash('sha256').update(readFileSync(CERTIFICATE)).digest('hex');
  check((await page.locator('main').innerText()).includes(sha), 'the uploaded certificate is listed with its SHA-256');
  await axeCheck(page, 'course edit page with evidence');
  await shot(page, 'course-evidence-en');

  // Import with a preview: nothing is stored until "Confirm import"; "Cancel" stores nothing.
  const linkedin = 'Name,Url,Authority,Started On,Finished On,License Number\n' +
    'Google Data Analytics,https://coursera.org/verify/ABC123,Coursera,Mar 2023,Jun 2023,ABC123\n';
  await page.goto(BASE + '/import');
  await axeCheck(page, 'import');
  await page.getByLabel('File to import').setInputFiles({ name: 'Certifications.csv', mimeType: 'text/csv', buffer: Buffer.from(linkedin) });
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.waitForLoadState();
  check((await page.locator('h1').innerText()).includes('Import preview'), 'a LinkedIn export opens the import preview');
  check((await page.locator('main').innerText()).includes('Google Data Analytics'), 'the preview lists the certificate');
  await axeCheck(page, 'import preview');
  await shot(page, 'import-preview-en');
  const previewUrl = page.url();
  await page.goto(BASE + '/courses');
  check(await page.getByText('Google Data Analytics').count() === 0, 'nothing is saved while the preview waits');
  await page.goto(previewUrl);
  await page.getByRole('button', { name: 'Confirm import' }).click();
  await page.waitForLoadState();
  await page.goto(BASE + '/courses');
  check(await page.getByText('Google Data Analytics').count() > 0, 'after "Confirm import" the course is saved');
  if (existsSync(BADGE)) {
    const before = await page.locator('a[href$="/edit"]').count();
    await page.goto(BASE + '/import');
    await page.getByLabel('File to import').setInputFiles(BADGE);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForLoadState();
    const preview = await page.locator('main').innerText();
    check(/Open Badges/i.test(preview), 'a baked Open Badges 3.0 PNG is recognised in the preview');
    await shot(page, 'import-preview-badge-en');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForLoadState();
    await page.goto(BASE + '/courses');
    check((await page.locator('a[href$="/edit"]').count()) === before, `after "Cancel" the badge is not saved (still ${before} courses)`);
  } else {
    throw new Error(`missing fixture ${BADGE} (the shared fixtures sit beside the project)`);
  }
  // Two badges imported with the preview, then checked by certfolio itself ("Check now").
  for (const [file, title] of [[HOSTED_BADGE, 'Awesome Robotics Badge'], [SIGNED_CREDENTIAL, 'Teamwork']]) {
    await page.goto(BASE + '/import');
    await page.getByLabel('File to import').setInputFiles(file);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForLoadState();
    check((await page.locator('main').innerText()).includes(title), `the preview reads the badge "${title}"`);
    await page.getByRole('button', { name: 'Confirm import' }).click();
    await page.waitForLoadState();
  }
  await page.goto(BASE + '/dashboard');
  await page.getByRole('button', { name: 'Check now' }).click();
  await page.waitForLoadState();
  // The job may have started on them already; wait (bounded) until nothing is queued.
  for (let i = 0; i < 40 && /queued/.test(await page.locator('main').innerText()); i++) {
    await page.waitForTimeout(500);
    await page.goto(BASE + '/dashboard');
  }
  const dash = await page.locator('main').innerText();
  check(/proofs? checked by certfolio, last on/.test(dash) && !/queued/.test(dash), 'the dashboard says what certfolio checked, and nothing is left queued');
  await page.goto(BASE + '/dashboard');
  await axeCheck(page, 'dashboard');
  await shot(page, 'dashboard-en');

  // The portfolio builder: download the PDF, then create a share link.
  await page.goto(BASE + '/portfolio');
  await axeCheck(page, 'portfolio builder');
  await page.getByLabel('Appetite for self-training', { exact: false }).check();
  await page.getByRole('button', { name: 'Update the preview' }).click();
  await page.waitForLoadState();
  const paper = await page.locator('.paper').innerText();
  check(paper.includes('Alex Martin') && paper.includes(title), 'the builder previews the portfolio with the learner and the course');
  check(await page.getByLabel('Appetite for self-training', { exact: false }).isChecked(), 'the previewed framing stays chosen');
  await axeCheck(page, 'portfolio builder with a preview');
  await shot(page, 'portfolio-builder-en');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  const pdfPath = path.join(SHOTS, 'walk-portfolio.pdf');
  await download.saveAs(pdfPath);
  const pdf = readFileSync(pdfPath);
  check(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 2000, `"Download PDF" gives a PDF (${pdf.length} bytes)`);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  check(text.includes(title) && text.includes('Alex Martin'), 'the PDF names the learner and the course (pdftotext)');
  const flat = text.replace(/\s+/g, ' ');
  check(flat.includes('Issuer page checked by certfolio: www.coursera.org answers and names Alex Martin and the course'), 'the PDF says what certfolio checked of the course, against what');
  check(/\(checked on \d+ \w+ \d{4}\)/.test(flat), 'the PDF dates each check');
  check(flat.includes('Signature verified by certfolio: signed by did:key:') && flat.includes('Issued to someone else'), 'the PDF shows the badges\' checks');

  await page.goto(BASE + '/portfolio');
  await page.getByLabel(/who it is for/i).fill('Walk test recruiter');
  await page.getByRole('button', { name: 'Create share link' }).click();
  await page.waitForLoadState();
  // The link is shown once, in a read-only field to copy from.
  const shown = await page.locator('main input[readonly]').first().inputValue().catch(() => '');
  const found = shown.match(new RegExp(`${BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s/[A-Za-z0-9_-]{20,}`));
  check(found !== null, 'creating a share link shows its URL');
  const shareUrl = found[0];
  // Reloading the page that shows it creates no second link (post/redirect/get).
  const linksBefore = await page.request.get(BASE + '/api/v1/shares').then((r) => r.json());
  await page.reload();
  check((await page.locator('main input[readonly]').first().inputValue()) === shareUrl, 'a reload shows the same link');
  const linksAfter = await page.request.get(BASE + '/api/v1/shares').then((r) => r.json());
  check(linksAfter.count === linksBefore.count, `a reload creates no second link (${linksAfter.count} links)`);
  await axeCheck(page, 'share link created');
  await shot(page, 'share-created-en');

  // The recruiter: a fresh browser context (no cookie), phone width.
  const recruiter = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const phone = await recruiter.newPage();
  const res = await phone.goto(shareUrl);
  check(res.status() === 200, 'the share link opens in a fresh context (200)');
  check(await phone.getByText(title).count() > 0, 'the recruiter page shows the course');
  // Each claim of the mixed record says what certfolio checked, its result, against what and when.
  const recruiterText = (await phone.locator('main').innerText()).replace(/\s+/g, ' ');
  for (const expected of [
    'Issuer page checked by certfolio: www.coursera.org answers and names Alex Martin and the course',
    'Link broken since',
    'Signature verified by certfolio: signed by did:key:',
    'key read from the did:key identifier',
    'Issued to someone else',
    'Link given by the learner (verify.example.net)',
  ]) {
    check(recruiterText.includes(expected), `the recruiter page says "${expected}"`);
  }
  check(/\(checked on \d+ \w+ \d{4}\)/.test(recruiterText), 'the recruiter page dates each check');
  check(/certfolio checked \d+ of these claims itself/.test(recruiterText), 'the trust note says how many claims certfolio checked itself');
  check(await noSidewaysScroll(phone), 'no sideways scroll at 390 px on the recruiter page');
  await axeCheck(phone, 'recruiter page (phone)');
  await shot(phone, 'share-page-phone-en');

  // Revoke: the learner's /shares page, then the link is gone for the recruiter.
  await page.goto(BASE + '/shares');
  await axeCheck(page, 'shares');
  await shot(page, 'shares-en');
  await page.getByRole('button', { name: 'Revoke' }).first().click();
  await page.waitForLoadState();
  const gone = await phone.goto(shareUrl);
  check(gone.status() === 404, 'after "Revoke" the link gives 404');
  await shot(phone, 'share-page-revoked-en');
  await axeCheck(phone, 'revoked link (404)');

  // The other learner pages, whichever exist, get the same accessibility check.
  for (const p of ['/settings', '/institutions', '/import', '/verify']) {
    const r = await page.goto(BASE + p);
    if (r.status() === 200) {
      await axeCheck(page, p);
      await shot(page, `page${p.replace(/\//g, '-')}-en`);
    } else {
      log(`(no page at ${p}: ${r.status()})`);
    }
  }

  // Sign out: the back button must not show a private page again.
  await page.goto(BASE + '/dashboard');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForLoadState();
  await page.goBack();
  await page.waitForLoadState();
  check(!(await page.getByText('Alex Martin').count()) || new URL(page.url()).pathname === '/login',
    'after sign-out, the back button shows nothing private');

  // French: the same learner, with a French browser, for the screenshots in both languages.
  const fr = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const frPage = await fr.newPage();
  await frPage.goto(BASE + '/');
  check(await frPage.getAttribute('html', 'lang') === 'fr', 'a French browser gets the French home page');
  await axeCheck(frPage, 'home (fr)');
  await shot(frPage, 'home-fr');

  // The pages for review (docs/), in both languages, on a record worth looking at: a new
  // learner imports the sample document in one click, as the empty dashboard offers.
  for (const [locale, lang] of [['en-GB', 'en'], ['fr-FR', 'fr']]) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    const t0 = Date.now();
    await p.goto(BASE + '/signup');
    await p.locator('#name').fill(lang === 'fr' ? 'Léa Moreau' : 'Lea Moreau');
    await p.locator('#email').fill(`showcase-${lang}-${stamp}@example.org`);
    await p.locator('#password').fill(password);
    await p.locator('form[action="/signup"] button[type="submit"]').click();
    await p.waitForLoadState();
    await p.locator('form[action="/dashboard/import-sample"] button').click();
    await p.waitForLoadState();
    await p.goto(BASE + '/dashboard');
    check(await p.getAttribute('html', 'lang') === lang, `the ${lang} learner's dashboard is in ${lang}`);
    await axeCheck(p, `dashboard with the sample (${lang})`);
    await shot(p, `docs-dashboard-${lang}`);
    await p.goto(BASE + '/portfolio');
    // A newcomer's first minutes: sign-up, the sample in one click, the advised framing's PDF.
    const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('form[action="/portfolio.pdf"] button[type="submit"]').first().click()]);
    const firstPdf = readFileSync(await dl.path());
    check(firstPdf.subarray(0, 5).toString() === '%PDF-', `a new ${lang} learner has a framed PDF ${((Date.now() - t0) / 1000).toFixed(1)} s after opening /signup (machine time, typing excluded)`);
    await p.goto(BASE + '/portfolio');
    await axeCheck(p, `portfolio builder with the sample (${lang})`);
    await shot(p, `docs-portfolio-builder-${lang}`);
    await p.locator('#lang').selectOption(lang);
    await p.locator('button[formaction="/portfolio/share"]').click();
    await p.waitForLoadState();
    const url = await p.locator('main input[readonly]').first().inputValue();
    const visitor = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const v = await visitor.newPage();
    check((await v.goto(url)).status() === 200, `the ${lang} share link opens`);
    check(await v.getAttribute('html', 'lang') === lang, `the recruiter page is in ${lang}`);
    await axeCheck(v, `recruiter page with the sample (${lang})`);
    await shot(v, `docs-recruiter-page-${lang}`);
    await v.setViewportSize({ width: 390, height: 844 });
    check(await noSidewaysScroll(v), `no sideways scroll at 390 px on the ${lang} recruiter page with the sample`);
    await shot(v, `docs-recruiter-page-phone-${lang}`);
    // The recruiter checks the PDF the learner sent: /verify recognises it.
    if (lang === 'en') {
      const sent = path.join(SHOTS, 'showcase-en.pdf');
      writeFileSync(sent, firstPdf);
      await v.goto(BASE + '/verify');
      await v.locator('#file').setInputFiles(sent);
      await v.locator('form[action="/verify"] button[type="submit"]').click();
      await v.waitForLoadState();
      check(/recogni[sz]ed/i.test(await v.locator('main').innerText()), 'the recruiter\'s /verify recognises the PDF the learner downloaded');
      await axeCheck(v, 'verify result');
      await shot(v, 'verify-result-en');
      // The pages the walk above did not reach, each checked for accessibility.
      await p.goto(BASE + '/institutions');
      const [keep, absorbed] = await p.locator('#keep option').evaluateAll((os) => os.slice(0, 2).map((o) => o.value));
      await p.locator('a[href$="/edit"]').first().click();
      await p.waitForLoadState();
      await axeCheck(p, 'institution edit');
      await p.goto(`${BASE}/institutions/merge?keep=${keep}&absorbed=${absorbed}`);
      check(/merge/i.test(await p.locator('h1').innerText()), 'merging two institutions asks for confirmation first');
      await axeCheck(p, 'institution merge confirmation');
      await p.goto(BASE + '/courses');
      await p.locator('a[href$="/delete"]').first().click();
      await p.waitForLoadState();
      await axeCheck(p, 'course delete confirmation');
      await p.goto(BASE + '/settings');
      await axeCheck(p, 'settings (filled)');
      await shot(p, 'settings-en');
      // The learner's own pages at phone width, with a full record: nothing scrolls sideways.
      await p.setViewportSize({ width: 390, height: 844 });
      for (const route of ['/dashboard', '/courses', '/institutions', '/import', '/portfolio', '/shares', '/settings']) {
        await p.goto(BASE + route);
        check(await noSidewaysScroll(p), `no sideways scroll at 390 px on ${route} (12-course record)`);
      }
      await shot(p, 'settings-phone-en');
    }
    await visitor.close();
    await ctx.close();
  }

  // The longest values a record accepts, unbroken (tests/fixtures/longest.json): the recruiter
  // page and the learner's pages still fit a phone's width (issue 10, point 7).
  {
    const email = 'longest@example.org';
    const json = { 'content-type': 'application/json' };
    const password = 'une phrase de passe assez longue';
    await fetch(BASE + '/api/v1/accounts', { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: 'Long' }) });
    const session = await (await fetch(BASE + '/api/v1/session', { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })).json();
    const auth = { ...json, authorization: `Bearer ${session.token}` };
    const doc = readFileSync(path.join(HERE, '../fixtures/longest.json'), 'utf8');
    check((await fetch(BASE + '/api/v1/import', { method: 'POST', headers: auth, body: doc })).status === 201, 'the longest record imports');
    const link = await (await fetch(BASE + '/api/v1/shares', { method: 'POST', headers: auth, body: JSON.stringify({ framing: 'legitimacy', field: 'data', include_uncertified: true }) })).json();
    const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await ctx.addCookies([{ name: 'certfolio', value: session.token, url: BASE }]);
    const p = await ctx.newPage();
    check((await p.goto(link.url)).status() === 200, 'the longest record\'s link opens');
    check(await noSidewaysScroll(p), 'no sideways scroll at 390 px on the recruiter page with the longest values');
    await shot(p, 'recruiter-page-longest-phone');
    for (const route of ['/dashboard', '/courses', '/institutions', '/portfolio', '/shares', '/settings']) {
      await p.goto(BASE + route);
      check(await noSidewaysScroll(p), `no sideways scroll at 390 px on ${route} with the longest values`);
    }
    const courses = await (await fetch(BASE + '/api/v1/courses', { headers: auth })).json();
    await p.goto(`${BASE}/courses/${courses.courses[0].id}/edit`);
    check(await noSidewaysScroll(p), 'no sideways scroll at 390 px on a course page with the longest values');
    await ctx.close();
  }

  log('axe summary:', JSON.stringify(axeChecked));
  writeFileSync(path.join(SHOTS, 'axe.json'), JSON.stringify(axeChecked, null, 2));
  check(axeFailures.length === 0, `no serious or critical accessibility violation on ${axeChecked.length} pages${axeFailures.length ? ':\n  ' + axeFailures.join('\n  ') : ''}`);
} catch (e) {
  failed = true;
  console.error(e.message ?? e);
  if (axeFailures.length) console.error('accessibility:\n  ' + axeFailures.join('\n  '));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
