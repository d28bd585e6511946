import { ApiError } from './api';
import { hasKey, t } from './i18n/index.svelte';

/** A translated message for an error: known API codes map to dictionary keys `err.<code>`; otherwise the server's message. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `err.${e.code}`;
    if (hasKey(key)) return t(key, { seconds: e.retryAfter ?? 60 });
    if (e.status >= 500) return t('err.server');
    if (e.status === 404 && /^not found$/i.test(e.message)) return t('err.not_found');
    return e.message || t('err.unknown');
  }
  return t('err.unknown');
}

/** Field errors from a validation failure, keyed by field name. */
export function fieldErrors(e: unknown): Record<string, string> {
  return e instanceof ApiError ? e.fields : {};
}
