import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { ACME, OPERATOR, api, login, screenshots, site } from './helpers';

test('an invitation link leads to a sign-up page showing the company, and into the app', async ({ page }) => {
  const admin = await login(ACME.slug, ACME.admin.email, ACME.admin.password);
  const inv = await api(ACME.slug, 'POST', '/admin/invites', { max_uses: 1, expires_in_hours: 72, role: 'employee' }, admin);
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);

  await page.goto(site(ACME.slug) + `/signup?invite=${encodeURIComponent(inv.body.token)}`);
  await expect(page.getByText(`You are invited to join ${ACME.name}.`)).toBeVisible();
  const email = `emp${Date.now()}@example.test`;
  await page.getByLabel('Display name').fill('Camille Martin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('camille-pass-1');
  await screenshots(page, 'signup-invite');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('heading', { name: 'Matches', level: 1 })).toBeVisible();
  // An employee has no staff pages.
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto(site(ACME.slug) + '/admin');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();

  // Profile: display name and an avatar (previewed before upload).
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByLabel('Display name').fill('Camille M.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('Choose an image').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByAltText('Preview of the new avatar')).toBeVisible();
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('button', { name: 'Remove' })).toBeVisible();
  await screenshots(page, 'profile');

  // The link was single-use.
  await page.goto(site(ACME.slug) + '/leaderboards');
  await expect(page.getByRole('heading', { name: 'Leaderboards' })).toBeVisible();
  await screenshots(page, 'leaderboards');
  const again = await api(ACME.slug, 'GET', `/invites/${encodeURIComponent(inv.body.token)}`);
  expect(again.status).toBe(404);
});

test('the admin branding page previews colours and warns when contrast fails AA', async ({ page }) => {
  await page.goto(site(ACME.slug) + '/login');
  await page.getByLabel('Email').fill(ACME.admin.email);
  await page.getByLabel('Password').fill(ACME.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Company branding' })).toBeVisible();
  // Yellow as the primary colour: links in yellow on white fail AA, a darker proposal is offered.
  await page.locator('#b-primary-text').fill('#ffd600');
  await expect(page.getByText('Below 4.5:1')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Use #/ })).toBeVisible();
  await screenshots(page, 'admin-branding');
  await page.getByRole('link', { name: 'Invitations' }).click();
  await expect(page.getByRole('heading', { name: 'New invitation' })).toBeVisible();
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('cell', { name: new RegExp(ACME.admin.email) })).toBeVisible();
  await screenshots(page, 'admin-members');
  await page.getByRole('link', { name: 'Participation' }).click();
  await expect(page.getByRole('heading', { name: 'Participation', level: 1 })).toBeVisible();
  await screenshots(page, 'hr');
});

test('the operator console lists companies on the bare domain', async ({ page }) => {
  await page.goto(site() + '/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Operator console' })).toBeVisible();
  await expect(page.getByRole('cell', { name: ACME.name })).toBeVisible();
  await screenshots(page, 'operator');

  // openfootball import: upload, progress, summary.
  await page.getByRole('link', { name: 'Import' }).click();
  const file = resolve(import.meta.dirname, '../../server/importer/openfootball/testdata/euro.json');
  await page.getByLabel('JSON file').setInputFiles(file);
  await page.getByLabel(/Time zone/).fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Import finished')).toBeVisible();
  await expect(page.getByText(/\d+ matches created/)).toBeVisible();
  await screenshots(page, 'operator-import');
});
