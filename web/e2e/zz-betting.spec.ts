// Runs last (file order): it moves the server's test clock forward.
import { expect, test } from '@playwright/test';
import { ACME, OPERATOR, api, login, screenshots, site } from './helpers';

async function ensureTeam(op: string, name: string, code: string): Promise<number> {
  const r = await api(null, 'POST', '/operator/teams', { name, code }, op);
  if (r.status === 201 || r.status === 200) return r.body.id;
  const list = await api(null, 'GET', '/operator/teams?per_page=200', undefined, op);
  const found = list.body.items.find((t: { code: string }) => t.code === code);
  if (!found) throw new Error(`team ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  return found.id;
}

test.describe.configure({ mode: 'serial' });

test('an employee bets before kickoff, is locked out after, and is paid on the 90-minute result', async ({ page }) => {
  const op = await login(null, OPERATOR.email, OPERATOR.password);
  const now = (await api(null, 'POST', '/test/clock', { advance_seconds: 0 })).body?.now ?? new Date().toISOString();
  const companies = await api(null, 'GET', '/operator/companies?per_page=200', undefined, op);
  const acme = companies.body.items.find((c: { slug: string }) => c.slug === ACME.slug);

  const tour = await api(null, 'POST', '/operator/tournaments', { name: `E2E Cup ${Date.now()}`, stages: ['group'] }, op);
  expect(tour.status, JSON.stringify(tour.body)).toBe(201);
  const home = await ensureTeam(op, 'France', 'FRA');
  const away = await ensureTeam(op, 'Brazil', 'BRA');
  const kickoff = new Date(new Date(now).getTime() + 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const match = await api(null, 'POST', `/operator/tournaments/${tour.body.id}/matches`, { stage: 'group', group: 'A', kickoff, home_team_id: home, away_team_id: away, venue: 'Stade de France' }, op);
  expect(match.status, JSON.stringify(match.body)).toBe(201);
  expect((await api(null, 'PUT', `/operator/matches/${match.body.id}/odds`, { home: 2.3, draw: 3.1, away: 2.9 }, op)).status).toBe(200);
  const enr = await api(null, 'POST', `/operator/tournaments/${tour.body.id}/enrollments`, { company_id: acme.id }, op);
  expect([200, 201], JSON.stringify(enr.body)).toContain(enr.status);

  await page.goto(site(ACME.slug) + '/login');
  await page.getByLabel('Email').fill(ACME.admin.email);
  await page.getByLabel('Password').fill(ACME.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();

  const card = page.locator(`#match-${match.body.id}`);
  await expect(card).toBeVisible();
  await expect(card.getByText('Next to bet')).toBeVisible();
  await card.getByRole('button', { name: /1 France/ }).click();
  await card.getByLabel('Stake (Betcoins)').fill('100');
  await expect(card.getByText('Potential win:')).toContainText('230');
  await screenshots(page, 'bet-slip');
  await card.getByRole('button', { name: 'Place bet' }).click();
  await expect(card.getByText(/My bet: France, 100 coins/)).toBeVisible();

  // Kick-off passes: the card locks (after a silent token refresh, the access token being stale too).
  await api(null, 'POST', '/test/clock', { advance_seconds: 3 * 3600 });
  await page.reload();
  await expect(card.getByText('Bets closed')).toBeVisible();
  await expect(card.getByRole('button', { name: /1 France/ })).toBeDisabled();
  const token = await login(ACME.slug, ACME.admin.email, ACME.admin.password);
  const late = await api(ACME.slug, 'PUT', `/matches/${match.body.id}/bet`, { pick: 'away', stake: 10 }, token);
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('match_locked');

  // The result settles the bet: 2-1 at 90 minutes pays floor(100 × 2.3).
  const op2 = await login(null, OPERATOR.email, OPERATOR.password); // the first token expired with the clock move
  expect((await api(null, 'PUT', `/operator/matches/${match.body.id}/result`, { ft: { home: 2, away: 1 } }, op2)).status).toBe(200);
  await page.getByRole('link', { name: 'My bets' }).click();
  await expect(page.getByText('Won 230')).toBeVisible();
  await screenshots(page, 'my-bets');
});

test('the operator console shows tournaments, enrolments and matches', async ({ page }) => {
  await page.goto(site() + '/login');
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Tournaments' }).click();
  const select = page.getByLabel('Tournament', { exact: true });
  await expect(select).toBeVisible();
  const value = await select.locator('option', { hasText: 'E2E Cup' }).first().getAttribute('value');
  await select.selectOption(value!);
  await expect(page.getByText(/Acme Corp · /)).toBeVisible();
  await expect(page.getByText('France – Brazil')).toBeVisible();
  // Add a team and a match through the form.
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
