import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, parseError, setAccessToken } from './api';
import { errorMessage } from './errors';
import { setLocale } from './i18n/index.svelte';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

describe('parseError', () => {
  it('reads the contract error shape with field errors', () => {
    const e = parseError(422, JSON.stringify({ error: { code: 'validation_failed', message: 'bad', fields: { stake: 'must be ≥ 1' } } }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('validation_failed');
    expect(e.fields).toEqual({ stake: 'must be ≥ 1' });
    expect(e.retryable).toBe(false);
  });
  it('tolerates non-JSON bodies', () => {
    const e = parseError(502, '<html>Bad gateway</html>');
    expect(e.code).toBe('http_502');
    expect(e.retryable).toBe(true);
  });
  it('reads Retry-After and the request id', () => {
    const h = new Headers({ 'Retry-After': '30', 'X-Request-ID': 'abc' });
    const e = parseError(429, JSON.stringify({ error: { code: 'too_many_attempts', message: 'slow down' } }), h);
    expect(e.retryAfter).toBe(30);
    expect(e.requestId).toBe('abc');
  });
});

describe('errorMessage', () => {
  it('translates known codes and falls back to the server message', () => {
    setLocale('fr');
    expect(errorMessage(new ApiError(409, 'match_locked', 'locked'))).toMatch(/Trop tard/);
    expect(errorMessage(new ApiError(429, 'too_many_attempts', 'x', {}, 12))).toMatch(/12 secondes/);
    expect(errorMessage(new ApiError(400, 'something_new', 'Server says so'))).toBe('Server says so');
    setLocale('en');
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'x'))).toBe('Wrong email or password.');
  });
});

describe('request', () => {
  it('builds query strings without empty values', () => {
    expect(buildUrl('/matches', { tournament_id: 3, day: '', stage: null, page: 1 })).toBe('/api/v1/matches?tournament_id=3&page=1');
  });
  it('attaches the bearer token and refreshes once on 401 (single flight)', async () => {
    setAccessToken('old');
    const seen: string[] = [];
    let refreshes = 0;
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return json(200, { access_token: 'new', expires_in: 900, user: { id: 1 } });
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      seen.push(auth);
      return auth === 'Bearer new' ? json(200, { ok: true }) : json(401, { error: { code: 'unauthorized', message: 'expired' } });
    }));
    const [a, b] = await Promise.all([api.get<{ ok: boolean }>('/me'), api.get<{ ok: boolean }>('/teams')]);
    expect(a.ok && b.ok).toBe(true);
    expect(refreshes).toBe(1);
    expect(seen.filter((s) => s === 'Bearer old')).toHaveLength(2);
  });
  it('throws ApiError with fields on failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(422, { error: { code: 'validation_failed', message: 'x', fields: { score: 'inconsistent' } } })));
    await expect(api.put('/matches/1/bet', { pick: 'home', stake: 1 })).rejects.toMatchObject({ code: 'validation_failed', fields: { score: 'inconsistent' } });
  });
  it('maps network failures to network_error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(api.get('/company')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
