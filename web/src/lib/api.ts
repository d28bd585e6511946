// The API client: bearer token in memory only, silent single-flight refresh on 401,
// one error shape ({"error":{"code","message","fields"}}) turned into ApiError.
import type { AuthResponse } from './types';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
    public retryAfter: number | null = null,
    public requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** True when the failure may be transient and the same request may be retried. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** Turns any HTTP failure into an ApiError; tolerant of non-JSON bodies (proxies, 502s). */
export function parseError(status: number, bodyText: string, headers?: { get(name: string): string | null }): ApiError {
  let code = status === 0 ? 'network_error' : `http_${status}`;
  let message = '';
  let fields: Record<string, string> = {};
  try {
    const body = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
    const e = body?.error;
    if (e && typeof e === 'object') {
      if (typeof e.code === 'string' && e.code) code = e.code;
      if (typeof e.message === 'string') message = e.message;
      if (e.fields && typeof e.fields === 'object') {
        fields = Object.fromEntries(Object.entries(e.fields as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      }
    }
  } catch {
    /* not JSON */
  }
  const ra = headers?.get('Retry-After');
  const retryAfter = ra && /^\d+$/.test(ra) ? Number(ra) : null;
  return new ApiError(status, code, message || `HTTP ${status}`, fields, retryAfter, headers?.get('X-Request-ID') ?? null);
}

let accessToken: string | null = null;

// Server time minus local time, from the Date header (1 s resolution): countdowns follow the
// server's clock, which decides when bets lock, even when the phone's clock is off.
let serverOffset = 0;
export function serverNow(): number {
  return Date.now() + serverOffset;
}
export function noteServerDate(date: string | null, sentAt: number) {
  const t = date ? Date.parse(date) : NaN;
  if (Number.isFinite(t)) serverOffset = t + 500 - (sentAt + Date.now()) / 2;
}
let onSession: (a: AuthResponse | null) => void = () => {};

export function setAccessToken(t: string | null) {
  accessToken = t;
}
export function hasAccessToken() {
  return accessToken !== null;
}
/** The session store registers here to learn about refreshed or lost sessions. */
export function onSessionChange(fn: (a: AuthResponse | null) => void) {
  onSession = fn;
}

let refreshing: Promise<AuthResponse | null> | null = null;

/** POST /auth/refresh, single-flight: concurrent callers share one request. */
export function refreshSession(): Promise<AuthResponse | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await fetch(`${API}/auth/refresh`, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!res.ok) {
          accessToken = null;
          onSession(null);
          return null;
        }
        const a = (await res.json()) as AuthResponse;
        accessToken = a.access_token;
        onSession(a);
        return a;
      } catch {
        return null; // network trouble: keep what we have
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export type RequestOptions = {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  raw?: Blob | ArrayBuffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not attempt a refresh on 401 (auth endpoints). */
  noRefresh?: boolean;
};

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api/') ? path : `${API}${path}`;
  if (!query) return url;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${url}?${s}` : url;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const doFetch = async () => {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    let body: BodyInit | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw as BodyInit;
      if (opts.contentType) headers['Content-Type'] = opts.contentType;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    try {
      const sentAt = Date.now();
      const res = await fetch(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
      noteServerDate(res.headers.get('Date'), sentAt);
      return res;
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, 'network_error', 'Network error');
    }
  };
  let res = await doFetch();
  if (res.status === 401 && !opts.noRefresh && accessToken !== null) {
    const r = await refreshSession();
    if (r) res = await doFetch();
  }
  if (!res.ok) throw parseError(res.status, await res.text(), res.headers);
  if (res.status === 204) return undefined as T;
  const ct = res.headers.get('Content-Type') ?? '';
  return (ct.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** Raw-body upload with progress (fetch cannot report upload progress). */
export function upload<T>(method: string, path: string, file: Blob, onProgress?: (fraction: number) => void, retried = false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, buildUrl(path));
    if (accessToken) xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Network error'));
    xhr.onload = async () => {
      if (xhr.status === 401 && !retried && accessToken) {
        if (await refreshSession()) return upload<T>(method, path, file, onProgress, true).then(resolve, reject);
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } else {
        reject(parseError(xhr.status, xhr.responseText, { get: (h) => xhr.getResponseHeader(h) }));
      }
    };
    xhr.send(file);
  });
}

/** Downloads an authenticated file (CSV exports) and hands it to the browser. */
export async function download(path: string, fallbackName: string) {
  const doFetch = () => fetch(buildUrl(path), { headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {} });
  let res = await doFetch();
  if (res.status === 401 && (await refreshSession())) res = await doFetch();
  if (!res.ok) throw parseError(res.status, await res.text(), res.headers);
  // The server names the file (company, report, date); keep its name when it gives one.
  const cd = res.headers.get('Content-Disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)?.[1] ?? fallbackName;
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = decodeURIComponent(filename);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
