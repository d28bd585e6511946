import { expect, test } from '@playwright/test';
import { ACME, GLOBEX, api, login, screenshots, site } from './helpers';

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

test('the login page wears the company colours', async ({ page }) => {
  await page.goto(site(ACME.slug) + '/matches');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(ACME.name)).toBeVisible();
  const vars = await page.evaluate(() => {
    const s = getComputedStyle(document.documentElement);
    return { primary: s.getPropertyValue('--brand-primary').trim(), on: s.getPropertyValue('--brand-on-primary').trim() };
  });
  expect(vars.primary.toLowerCase()).toBe(ACME.primary);
  expect(vars.on).toBe('#ffffff');
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCSS('background-color', rgb(ACME.primary));
  await screenshots(page, 'login-acme');

  await page.goto(site(GLOBEX.slug) + '/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCSS('background-color', rgb(GLOBEX.primary));
});

test('an unknown company gets a clear page', async ({ page }) => {
  await page.goto(site('no-such-company') + '/');
  await expect(page.getByRole('heading', { name: 'This company does not exist' })).toBeVisible();
  await screenshots(page, 'company-not-found');
});

test('an admin signs in, sees the matches, and signs out', async ({ page }) => {
  await page.goto(site(ACME.slug) + '/login');
  await page.getByLabel('Email').fill(ACME.admin.email);
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong email or password');

  await page.getByLabel('Password').fill(ACME.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('90-minute result').first()).toBeVisible();
  await screenshots(page, 'matches-acme');

  // The session survives a reload (silent refresh from the HttpOnly cookie).
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('French is the default for a French browser, and the choice is remembered', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'fr-FR' });
  const page = await ctx.newPage();
  await page.goto(site(ACME.slug) + '/login');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByLabel('Langue').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await ctx.close();
});

test("a member of another company sees nothing of this company", async ({ page }) => {
  // Globex's admin cannot sign in on Acme's host…
  await page.goto(site(ACME.slug) + '/login');
  await page.getByLabel('Email').fill(GLOBEX.admin.email);
  await page.getByLabel('Password').fill(GLOBEX.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong email or password');
  await expect(page.getByRole('heading', { name: 'Matches' })).toHaveCount(0);

  // …and a Globex token is worthless against Acme's API.
  const globexToken = await login(GLOBEX.slug, GLOBEX.admin.email, GLOBEX.admin.password);
  for (const path of ['/me', '/admin/members', '/admin/company', '/matches', '/leaderboards/individual']) {
    const r = await api(ACME.slug, 'GET', path, undefined, globexToken);
    expect([401, 403, 404], `${path} → ${r.status}`).toContain(r.status);
    expect(JSON.stringify(r.body)).not.toContain(ACME.admin.email);
  }
  // while it works on its own host.
  const own = await api(GLOBEX.slug, 'GET', '/me', undefined, globexToken);
  expect(own.status).toBe(200);
  expect(own.body.email).toBe(GLOBEX.admin.email);
});

test('keyboard only: skip link, labelled fields, submit with Enter', async ({ page }) => {
  await page.goto(site(ACME.slug) + '/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.getByLabel('Email').focus();
  await page.keyboard.type(ACME.admin.email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(ACME.admin.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();
  // In-app navigation moves focus to the new page's heading.
  await page.getByRole('link', { name: 'My bets' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'My bets', level: 1 })).toBeFocused();
});

test('when the company cannot be loaded, a styled error with a retry is shown', async ({ page }) => {
  await page.route('**/api/v1/company', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' }));
  await page.goto(site(ACME.slug) + '/matches');
  await expect(page.getByRole('heading', { name: 'BetCity could not start' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.unroute('**/api/v1/company');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
