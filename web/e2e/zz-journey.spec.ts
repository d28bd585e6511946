// The journeys, in order, against the real server (runs last: it moves the test clock).
//   1 branding → login page colours + logo   2 invite (copy) → sign-up   3 bet, change, cancel (balance)
//   4 kickoff lock (UI + 409 with the page's token)   5 operator result → wallet + leaderboards
//   6 HR CSV download   7 the same in French (no raw keys, no English, French dates)   8 another company sees nothing
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ACME, GLOBEX, OPERATOR, advanceClock, api, login, makePng, screenshots, site, uiLogin } from './helpers';
import { en } from '../src/lib/i18n/en';
import { fr } from '../src/lib/i18n/fr';

test.describe.configure({ mode: 'serial' });

const BRAND = { primary: '#5b2a86', accent: '#00c2a8' };
const EMP = { name: 'Zoé Lambert', email: `zoe${Date.now()}@acme.test`, password: 'zoe-pass-12345' };
const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};
const st: { tour: number; m1: number; m2: number; team: number; inviteUrl: string; startBalance: number } = { tour: 0, m1: 0, m2: 0, team: 0, inviteUrl: '', startBalance: 0 };

async function ensureTeam(op: string, name: string, code: string): Promise<number> {
  const r = await api(null, 'POST', '/operator/teams', { name, code }, op);
  if (r.status === 201 || r.status === 200) return r.body.id;
  const list = await api(null, 'GET', '/operator/teams?per_page=500', undefined, op);
  const found = list.body.items.find((t: { code: string }) => t.code === code);
  if (!found) throw new Error(`team ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  return found.id;
}

async function newPage(browser: Browser, locale = 'en-GB'): Promise<Page> {
  const ctx = await browser.newContext({ locale, timezoneId: 'Europe/Paris' });
  return ctx.newPage();
}

const digits = (s: string) => Number(s.replace(/\D/g, ''));
const balanceOf = async (page: Page) => digits(await page.locator('.balance').innerText());
const walletOf = async (page: Page) => digits(await page.locator('.bal').innerText());

test.beforeAll(async () => {
  const op = await login(null, OPERATOR.email, OPERATOR.password);
  const now = new Date(await advanceClock(0)).getTime();
  const companies = await api(null, 'GET', '/operator/companies?per_page=200', undefined, op);
  const acme = companies.body.items.find((c: { slug: string }) => c.slug === ACME.slug);
  const tour = await api(null, 'POST', '/operator/tournaments', { name: `E2E Cup ${Date.now()}`, stages: ['group'] }, op);
  expect(tour.status, JSON.stringify(tour.body)).toBe(201);
  st.tour = tour.body.id;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const fra = await ensureTeam(op, 'France', 'FRA');
  const bra = await ensureTeam(op, 'Brazil', 'BRA');
  const esp = await ensureTeam(op, 'Spain', 'ESP');
  const ita = await ensureTeam(op, 'Italy', 'ITA');
  const m1 = await api(null, 'POST', `/operator/tournaments/${st.tour}/matches`, { stage: 'group', group: 'A', kickoff: iso(now + 2 * 3600_000), home_team_id: fra, away_team_id: bra, venue: 'Stade de France' }, op);
  const m2 = await api(null, 'POST', `/operator/tournaments/${st.tour}/matches`, { stage: 'group', group: 'A', kickoff: iso(now + 10 * 3600_000), home_team_id: esp, away_team_id: ita }, op);
  expect(m1.status, JSON.stringify(m1.body)).toBe(201);
  expect(m2.status, JSON.stringify(m2.body)).toBe(201);
  st.m1 = m1.body.id;
  st.m2 = m2.body.id;
  for (const m of [st.m1, st.m2]) expect((await api(null, 'PUT', `/operator/matches/${m}/odds`, { home: 2.3, draw: 3.1, away: 2.9 }, op)).status).toBe(200);
  const enr = await api(null, 'POST', `/operator/tournaments/${st.tour}/enrollments`, { company_id: acme.id }, op);
  expect([200, 201], JSON.stringify(enr.body)).toContain(enr.status);
  // A company team for the team leaderboard.
  const admin = await login(ACME.slug, ACME.admin.email, ACME.admin.password);
  const team = await api(ACME.slug, 'POST', '/admin/teams', { name: `Purple Owls ${Date.now() % 10000}` }, admin);
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  st.team = team.body.id;
});

test('1. the admin brands the company; the login page wears the new colours and logo', async ({ page, browser }) => {
  await uiLogin(page, ACME.slug, ACME.admin.email, ACME.admin.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Company branding' })).toBeVisible();
  // Live preview follows the inputs before saving.
  await page.locator('#b-primary-text').fill(BRAND.primary);
  await page.locator('#b-accent-text').fill(BRAND.accent);
  await expect(page.locator('.pv-btn')).toHaveCSS('background-color', rgb(BRAND.primary));
  await expect(page.locator('.pv-badge')).toHaveCSS('background-color', rgb(BRAND.accent));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  // Logo upload: the preview and the header show it.
  await page.getByLabel('Choose an image').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(160, 64, [91, 42, 134], [0, 194, 168]) });
  const preview = page.locator('.pv-header img');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Remove the logo' })).toBeVisible();
  await screenshots(page, 'admin-branding-saved');

  const anon = await newPage(browser);
  await anon.goto(site(ACME.slug) + '/login');
  await expect(anon.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const primary = await anon.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim().toLowerCase());
  expect(primary).toBe(BRAND.primary);
  await expect(anon.getByRole('button', { name: 'Sign in' })).toHaveCSS('background-color', rgb(BRAND.primary));
  const logo = anon.locator('.auth-brand img');
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await screenshots(anon, 'login-branded');
  await anon.context().close();
});

test('2. the admin creates an invitation, copies it, and an employee signs up with it', async ({ page, browser }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site(ACME.slug) });
  await uiLogin(page, ACME.slug, ACME.admin.email, ACME.admin.password);
  await page.goto(site(ACME.slug) + '/admin/invites');
  await expect(page.getByRole('heading', { name: 'New invitation' })).toBeVisible();
  await page.getByRole('button', { name: 'Create the link' }).click();
  await expect(page.getByText('Invitation link ready: share it.')).toBeVisible();
  const shown = (await page.locator('code.url').innerText()).trim();
  expect(shown).toContain('/signup?invite=');
  await page.getByRole('button', { name: 'Copy the invitation link' }).first().click();
  await expect(page.getByRole('button', { name: 'Copy the invitation link' }).first()).toHaveText('Copied!');
  st.inviteUrl = await page.evaluate(() => navigator.clipboard.readText());
  expect(st.inviteUrl).toBe(shown);
  await screenshots(page, 'admin-invites');

  const emp = await newPage(browser);
  // The link names the company's host; the test server listens on the e2e port.
  await emp.goto(site(ACME.slug) + new URL(st.inviteUrl).pathname + new URL(st.inviteUrl).search);
  await expect(emp.getByText(`You are invited to join ${ACME.name}.`)).toBeVisible();
  await emp.getByLabel('Display name').fill(EMP.name);
  await emp.getByLabel('Email').fill(EMP.email);
  await emp.getByLabel('Password').fill(EMP.password);
  await emp.getByRole('button', { name: 'Create my account' }).click();
  await expect(emp.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();
  await emp.context().close();

  // Put the new member in a team (team leaderboard, step 5).
  const admin = await login(ACME.slug, ACME.admin.email, ACME.admin.password);
  const members = await api(ACME.slug, 'GET', '/admin/members?per_page=200', undefined, admin);
  const me = members.body.items.find((m: { email: string }) => m.email === EMP.email);
  expect((await api(ACME.slug, 'PATCH', `/admin/members/${me.id}`, { team_id: st.team }, admin)).status).toBe(200);
});

test('3. the employee bets, changes the bet and cancels it; the balance follows', async ({ page }) => {
  await uiLogin(page, ACME.slug, EMP.email, EMP.password);
  const card = page.locator(`#match-${st.m1}`);
  await expect(card).toBeVisible();
  await expect(page.locator('.balance')).toBeVisible();
  st.startBalance = await balanceOf(page);
  expect(st.startBalance).toBeGreaterThan(150);

  await card.getByRole('button', { name: /1 France/ }).click();
  await card.getByLabel('Stake (Betcoins)').fill('100');
  await expect(card.getByText('Potential win:')).toContainText('230');
  await screenshots(page, 'bet-slip');
  await card.getByRole('button', { name: 'Place bet' }).click();
  await expect(card.getByText(/My bet: France, 100 coins/)).toBeVisible();
  await expect.poll(() => balanceOf(page)).toBe(st.startBalance - 100);

  await card.getByRole('button', { name: 'Change my bet' }).click();
  await card.locator('label.pick', { hasText: 'Draw' }).click();
  await card.getByLabel('Stake (Betcoins)').fill('150');
  await card.getByRole('button', { name: 'Update bet' }).click();
  await expect(card.getByText(/My bet: Draw, 150 coins/)).toBeVisible();
  await expect.poll(() => balanceOf(page)).toBe(st.startBalance - 150);

  await card.getByRole('button', { name: 'Change my bet' }).click();
  await card.getByRole('button', { name: 'Cancel my bet' }).click();
  await expect(card.getByText(/My bet:/)).toHaveCount(0);
  await expect.poll(() => balanceOf(page)).toBe(st.startBalance);

  // The bet that will be settled: France, 100.
  await card.getByRole('button', { name: /1 France/ }).click();
  await card.getByLabel('Stake (Betcoins)').fill('100');
  await card.getByRole('button', { name: 'Place bet' }).click();
  await expect(card.getByText(/My bet: France, 100 coins/)).toBeVisible();
  await expect.poll(() => balanceOf(page)).toBe(st.startBalance - 100);
  await page.getByRole('link', { name: 'My bets' }).click();
  await expect.poll(() => walletOf(page)).toBe(st.startBalance - 100);
  await screenshots(page, 'my-bets-open');

  // A second bettor (the admin, on Brazil) so the individual leaderboard has two rows.
  const admin = await login(ACME.slug, ACME.admin.email, ACME.admin.password);
  const b = await api(ACME.slug, 'PUT', `/matches/${st.m1}/bet`, { pick: 'away', stake: 50 }, admin);
  expect([200, 201], JSON.stringify(b.body)).toContain(b.status);
});

test('4. after kickoff the bet is locked in the UI and the server refuses it', async ({ page }) => {
  await uiLogin(page, ACME.slug, EMP.email, EMP.password);
  await expect(page.locator(`#match-${st.m1}`)).toBeVisible();
  await page.waitForLoadState('networkidle'); // no answer with the pre-kickoff token may be taken below
  await advanceClock(3 * 3600);
  // The reload refreshes the (now stale) access token silently; keep the token the page uses.
  const matchesRes = page.waitForResponse((r) => r.url().includes('/api/v1/matches') && r.status() === 200 && !!r.request().headers().authorization);
  await page.reload();
  const token = (await matchesRes).request().headers().authorization.replace(/^Bearer /, '');
  const card = page.locator(`#match-${st.m1}`);
  await expect(card.getByText('Bets closed')).toBeVisible();
  await expect(card.getByRole('button', { name: /1 France/ })).toBeDisabled();
  await expect(card.getByRole('button', { name: 'Change my bet' })).toHaveCount(0);
  // After kickoff everyone's picks are shown: one on France, one on Brazil.
  await expect(card.locator('.dist')).toContainText('1 50%');
  await expect(card.locator('.dist')).toContainText('2 50%');
  await expect(card.locator('.dist')).toContainText('2 bettors');
  await screenshots(page, 'matches-locked');
  for (const [method, body] of [['PUT', { pick: 'away', stake: 10 }], ['DELETE', undefined]] as const) {
    const late = await api(ACME.slug, method, `/matches/${st.m1}/bet`, body, token);
    expect(late.status, `${method} ${JSON.stringify(late.body)}`).toBe(409);
    expect(late.body.error.code).toBe('match_locked');
  }
});

test('5. the operator records the result; the wallet and the leaderboards follow', async ({ page, browser }) => {
  const op = await newPage(browser);
  await uiLogin(op, null, OPERATOR.email, OPERATOR.password);
  await op.getByRole('link', { name: 'Tournaments' }).click();
  const select = op.getByLabel('Tournament', { exact: true });
  await select.selectOption(String(st.tour));
  await expect(op.getByText('France – Brazil')).toBeVisible();
  await op.getByLabel('Goals France').fill('2');
  await op.getByLabel('Goals Brazil').fill('1');
  await op.locator('tr', { hasText: 'France – Brazil' }).getByRole('button', { name: 'Settle' }).click();
  await expect(op.getByText('Result saved; bets were settled.')).toBeVisible();
  await screenshots(op, 'operator-result');
  await op.context().close();

  await uiLogin(page, ACME.slug, EMP.email, EMP.password);
  await expect.poll(() => balanceOf(page)).toBe(st.startBalance - 100 + 230);
  await page.getByRole('link', { name: 'My bets' }).click();
  await expect(page.getByText('Won 230')).toBeVisible();
  await expect.poll(() => walletOf(page)).toBe(st.startBalance + 130);
  await screenshots(page, 'my-bets');

  await page.getByRole('link', { name: 'Leaderboards' }).click();
  const mine = page.locator('tbody tr[aria-current="true"]');
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText(EMP.name);
  await expect(mine.locator('td').first()).toHaveText('1');
  const lb = await api(ACME.slug, 'GET', `/leaderboards/individual?tournament_id=${st.tour}`, undefined, await login(ACME.slug, EMP.email, EMP.password));
  await expect(mine.locator('td').nth(2)).toHaveText(new Intl.NumberFormat('en-GB').format(lb.body.me.score));
  await expect(page.locator('tbody tr').nth(1).locator('td').first()).toHaveText('2');
  await screenshots(page, 'leaderboards');

  // Pagination against the real server (one row per page): my row stays visible on page 2.
  await page.route('**/api/v1/leaderboards/individual?*', (r) => {
    const u = new URL(r.request().url());
    u.searchParams.set('per_page', '1');
    return r.continue({ url: u.toString() });
  });
  await page.getByRole('tab', { name: 'Teams' }).click();
  await page.getByRole('tab', { name: 'Players' }).click();
  await expect(page.getByText('Page 1 of 2')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(page.locator('tbody tr').first()).toContainText('2');
  await expect(page.locator('tbody tr[aria-current="true"]')).toContainText(EMP.name);
  await page.unroute('**/api/v1/leaderboards/individual?*');

  // Teams: my team first, highlighted, with a (possibly fractional) average score.
  await page.getByRole('tab', { name: 'Teams' }).click();
  await expect(page.locator('tbody tr[aria-current="true"]')).toContainText('Purple Owls');
  // Companies: Acme has fewer bettors than the minimum, so it is listed without a rank.
  await page.getByRole('tab', { name: 'Companies' }).click();
  const acmeRow = page.locator('tbody tr[aria-current="true"]');
  await expect(acmeRow).toContainText(ACME.name);
  await expect(acmeRow.locator('td').first()).toHaveText('—');
  await expect(page.getByText(/A company is ranked once \d+ of its employees have bet/)).toBeVisible();
  await screenshots(page, 'leaderboards-companies');
});

test('6. HR sees participation (lazy chart) and downloads the CSV', async ({ page }) => {
  const chartLoads: string[] = [];
  page.on('request', (r) => /\/assets\/chart-[^/]+\.js$/.test(r.url()) && chartLoads.push(r.url()));
  await uiLogin(page, ACME.slug, ACME.admin.email, ACME.admin.password);
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();
  expect(chartLoads, 'Chart.js is not part of the employee pages').toHaveLength(0);
  await page.getByRole('link', { name: 'Participation' }).click();
  await expect(page.getByRole('heading', { name: 'Participation', level: 1 })).toBeVisible();
  await expect(page.locator('.chart canvas')).toBeVisible();
  await expect.poll(() => chartLoads.length).toBe(1);
  const missing = page.locator('section', { has: page.getByRole('heading', { name: 'Who has not bet yet' }) });
  await expect(missing.getByText('Spain – Italy', { exact: false })).toBeVisible();
  await expect(missing.getByRole('cell', { name: new RegExp(EMP.name) })).toBeVisible();
  await screenshots(page, 'hr');

  const [dl] = await Promise.all([page.waitForEvent('download'), missing.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(dl.suggestedFilename()).toMatch(/\.csv$/);
  const buf = readFileSync((await dl.path())!);
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  expect(text).toContain('\r\n');
  const rows = text.split('\r\n').filter(Boolean).map((l) => l.split(';'));
  expect(rows[0].length).toBeGreaterThanOrEqual(4);
  expect(rows[0].join(';')).toMatch(/mail/i);
  const empRow = rows.find((r) => r.includes(EMP.email));
  expect(empRow, text).toBeTruthy();
  expect(empRow!.some((c) => /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(c)), empRow!.join(';')).toBe(true);
  expect(rows.some((r) => r.includes(ACME.admin.email))).toBe(true);
  expect(rows.every((r) => r.length === rows[0].length)).toBe(true);

  const activity = page.locator('section', { has: page.getByRole('heading', { name: /Active members/ }) });
  const [dl2] = await Promise.all([page.waitForEvent('download'), activity.getByRole('button', { name: 'Download CSV' }).click()]);
  const act = readFileSync((await dl2.path())!).toString('utf8');
  expect(act.charCodeAt(0)).toBe(0xfeff);
  expect(act).toMatch(/\r\n\d{2}\/\d{2}\/\d{4};\d+\r\n/);
});

test('7. in French: no raw keys, no English left, French dates', async ({ browser }) => {
  const enOnly = Object.entries(en)
    .filter(([k, v]) => v !== fr[k as keyof typeof fr] && v.length >= 9 && !v.includes('{') && !/^[A-Z0-9 :.()/-]+$/.test(v))
    .map(([, v]) => v);
  const prefixes = [...new Set(Object.keys(en).map((k) => k.split('.')[0]))].join('|');
  const keyPattern = new RegExp(`\\b(${prefixes})(\\.[a-zA-Z_]+)+\\b`);
  const check = async (page: Page, where: string) => {
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.spinner')).toHaveCount(0);
    const text = await page.locator('body').innerText();
    expect(text.match(keyPattern)?.[0], `raw i18n key on ${where}`).toBeUndefined();
    const left = [...enOnly.filter((s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(text)), ...(text.match(/\b(coins|Bets closed|Won|Lost|Open|Kick-off|Sign out|Loading)\b/g) ?? [])];
    expect(left, `English on ${where}`).toEqual([]);
    return text;
  };
  const page = await newPage(browser, 'fr-FR');
  await page.goto(site(ACME.slug) + '/login');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await check(page, 'login');
  await uiLogin(page, ACME.slug, EMP.email, EMP.password);
  await expect(page.getByRole('heading', { name: 'Matchs', level: 1 })).toBeVisible();
  const matches = await check(page, 'matches');
  expect(matches).toMatch(/(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)/i);
  await expect(page.locator(`#match-${st.m1}`)).toContainText('Betcoins à 2,30'); // French decimal comma
  await expect(page.locator(`#match-${st.m1}`)).toContainText('Terminé');
  await screenshots(page, 'fr-matches');
  await page.getByRole('link', { name: 'Mes paris' }).click();
  await expect(page.getByRole('heading', { name: 'Mes paris', level: 1 })).toBeVisible();
  const bets = await check(page, 'my bets');
  expect(bets).toMatch(/\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}/);
  expect(await walletOf(page)).toBe(st.startBalance + 130);
  expect(await page.locator('.bal').innerText()).toMatch(/^\d{1,3}(\s\d{3})*\s+Betcoins/); // French grouping
  await screenshots(page, 'fr-my-bets');
  await page.getByRole('link', { name: 'Classements' }).click();
  for (const tab of ['Joueurs', 'Équipes', 'Entreprises']) {
    await page.getByRole('tab', { name: tab }).click();
    await check(page, `leaderboards ${tab}`);
  }
  await page.getByRole('button', { name: /Menu/i }).click();
  await page.getByRole('link', { name: 'Profil' }).click();
  await check(page, 'profile');
  await page.context().close();

  const adm = await newPage(browser, 'fr-FR');
  await uiLogin(adm, ACME.slug, ACME.admin.email, ACME.admin.password);
  await adm.goto(site(ACME.slug) + '/hr');
  await expect(adm.locator('.chart canvas')).toBeVisible();
  const hr = await check(adm, 'participation');
  expect(hr).toMatch(/\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}/);
  await adm.getByText('Afficher en tableau').click();
  expect(await adm.locator('details table').innerText()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
  await screenshots(adm, 'fr-hr');
  for (const tab of ['branding', 'invites', 'teams', 'members', 'settings']) {
    await adm.goto(site(ACME.slug) + `/admin/${tab}`);
    await expect(adm.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
    await check(adm, `admin ${tab}`);
  }
  await screenshots(adm, 'fr-admin-settings');
  await adm.context().close();
});

test("8. a member of another company, on its own host, sees none of this company's data", async ({ page }) => {
  const gAdmin = await login(GLOBEX.slug, GLOBEX.admin.email, GLOBEX.admin.password);
  const inv = await api(GLOBEX.slug, 'POST', '/admin/invites', { max_uses: 1, expires_in_hours: 24, role: 'employee' }, gAdmin);
  expect(inv.status).toBe(201);
  const gEmp = { email: `g${Date.now()}@globex.test`, password: 'globex-emp-pass-1' };
  const su = await api(GLOBEX.slug, 'POST', '/auth/signup', { invite: inv.body.token, display_name: 'Gus Globex', email: gEmp.email, password: gEmp.password });
  expect([200, 201], JSON.stringify(su.body)).toContain(su.status);

  await uiLogin(page, GLOBEX.slug, gEmp.email, gEmp.password);
  const forbiddenText = [ACME.name, EMP.name, EMP.email, ACME.admin.email, 'France – Brazil', 'Purple Owls'];
  for (const path of ['/matches', '/bets', '/leaderboards']) {
    await page.goto(site(GLOBEX.slug) + path);
    await page.waitForLoadState('networkidle');
    const text = await page.locator('body').innerText();
    for (const s of forbiddenText) expect(text, `${path} shows ${s}`).not.toContain(s);
  }
  await page.getByRole('tab', { name: 'Companies' }).click();
  await page.waitForLoadState('networkidle');
  expect(await page.locator('body').innerText()).not.toContain(ACME.name);

  const gTok = await login(GLOBEX.slug, gEmp.email, gEmp.password);
  // On its own host, with Acme's ids.
  const own = [
    `/matches/${st.m1}`,
    `/matches?tournament_id=${st.tour}`,
    `/leaderboards/individual?tournament_id=${st.tour}`,
    `/leaderboards/teams?tournament_id=${st.tour}`,
    `/leaderboards/companies?tournament_id=${st.tour}`,
    `/me/wallet?tournament_id=${st.tour}`,
  ];
  for (const path of own) {
    const r = await api(GLOBEX.slug, 'GET', path, undefined, gTok);
    const body = JSON.stringify(r.body);
    for (const s of forbiddenText) expect(body, `${path} → ${r.status}`).not.toContain(s);
    if (r.status === 200 && Array.isArray(r.body?.items)) expect(r.body.items, path).toHaveLength(0);
  }
  const gAdm = await api(GLOBEX.slug, 'GET', `/participation/missing?tournament_id=${st.tour}`, undefined, gAdmin);
  expect(JSON.stringify(gAdm.body)).not.toContain(EMP.email);
  // On Acme's host, the Globex token is refused outright.
  for (const path of ['/me', `/matches/${st.m1}`, '/admin/members', `/leaderboards/individual?tournament_id=${st.tour}`]) {
    const r = await api(ACME.slug, 'GET', path, undefined, gTok);
    expect([401, 403, 404], `${path} → ${r.status}`).toContain(r.status);
  }
  await screenshots(page, 'globex-leaderboards');
});

test('the operator console shows tournaments, enrolments and matches, and adds a match', async ({ page }) => {
  await uiLogin(page, null, OPERATOR.email, OPERATOR.password);
  await page.getByRole('link', { name: 'Tournaments' }).click();
  const select = page.getByLabel('Tournament', { exact: true });
  await select.selectOption(String(st.tour));
  await expect(page.getByText(/Acme Corp · /)).toBeVisible();
  await expect(page.getByText('France – Brazil')).toBeVisible();
  await page.getByText('Add a match or a team').click();
  await page.getByPlaceholder('Team name').fill('Japan');
  await page.getByPlaceholder('FRA').fill('JPN');
  await page.getByRole('button', { name: 'Add the team' }).click();
  await expect(page.getByLabel('Away team').locator('option', { hasText: 'Japan (JPN)' })).toHaveCount(1);
  await page.getByLabel('Home team').selectOption({ label: 'France (FRA)' });
  await page.getByLabel('Away team').selectOption({ label: 'Japan (JPN)' });
  await page.getByLabel(/Kick-off/).fill('2031-06-01T21:00');
  await page.getByLabel('Group').fill('B');
  await page.getByRole('button', { name: 'Create' }).last().click();
  await expect(page.getByText('France – Japan')).toBeVisible();
  await screenshots(page, 'operator-tournaments');
});
