import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
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
    await page.evaluate(() => window.scrollTo(0, 0)); // a sticky header would be drawn mid-page otherwise
    await page.waitForTimeout(100);
    await page.screenshot({ path: resolve(SHOTS, `${name}-${width}.png`), fullPage: true });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (scrollWidth > width) throw new Error(`${name}: the page scrolls sideways at ${width} px (${scrollWidth} px wide)`);
  }
  if (original) await page.setViewportSize(original);
}

/** Signs in through the login form (ids #email / #password, whatever the language). */
export async function uiLogin(page: Page, slug: string | null, email: string, password: string) {
  await page.goto(site(slug ?? undefined) + '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Moves the server's test clock (binary built with -tags testclock); returns the server's now. */
export async function advanceClock(seconds: number): Promise<string> {
  const r = await api(null, 'POST', '/test/clock', { advance_seconds: seconds });
  if (r.status !== 200) throw new Error(`test clock: ${r.status} (server built without -tags testclock?)`);
  return r.body.now;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** A w×h PNG: two colour bands (a recognisable logo without a fixture file). */
export function makePng(w: number, h: number, top: [number, number, number], bottom: [number, number, number]): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const c = y < h / 2 ? top : bottom;
    for (let x = 0; x < w; x++) raw.set(c, y * (w * 3 + 1) + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
