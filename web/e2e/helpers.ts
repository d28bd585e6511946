import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const PORT = Number(process.env.BETCITY_E2E_PORT || 5000);
export const OPERATOR = { email: process.env.BETCITY_E2E_OPERATOR_EMAIL || 'op@betcity.test', password: process.env.BETCITY_E2E_OPERATOR_PASSWORD || 'operator-pass-1' };

/** Chromium resolves *.localhost to loopback by itself; Node does not, hence the Host header below. */
export const site = (slug?: string) => `http://${slug ? `${slug}.` : ''}localhost:${PORT}`;

export const ACME = { slug: 'acme', name: 'Acme Corp', primary: '#e30613', accent: '#ffd600', admin: { email: 'admin@acme.test', password: 'acme-admin-pass-1' } };
export const GLOBEX = { slug: 'globex', name: 'Globex', primary: '#0b6e4f', accent: '#f4d35e', admin: { email: 'admin@globex.test', password: 'globex-admin-pass-1' } };

export type ApiResult<T = any> = { status: number; body: T };

/** Calls the API on 127.0.0.1 with the tenant's Host header. */
export function api<T = any>(slug: string | null, method: string, path: string, body?: unknown, token?: string): Promise<ApiResult<T>> {
  return new Promise((resolvePromise, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path: `/api/v1${path}`,
        headers: {
          Host: `${slug ? `${slug}.` : ''}localhost:${PORT}`,
          Accept: 'application/json',
          ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(data.length) } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON */
          }
          resolvePromise({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

export async function login(slug: string | null, email: string, password: string): Promise<string> {
  const r = await api(slug, 'POST', '/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login ${email} on ${slug ?? 'operator'}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token;
}

const SHOTS = resolve(import.meta.dirname, 'screenshots');

/** Saves the page at phone (360 px) and desktop (1280 px) widths into e2e/screenshots/ (git-ignored). */
export async function screenshots(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: resolve(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
