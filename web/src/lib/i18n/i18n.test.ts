import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { detectLocale, translate } from './index.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });
  it('have no empty message', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(fr)]) expect(v.trim(), k).not.toBe('');
  });
  it('use the same placeholders in both languages', () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(fr[k]), k).toEqual(placeholders(en[k]));
  });
  it('has a translated message for every API error code of the contract', () => {
    const codes = ['company_not_found', 'invite_invalid', 'email_domain_not_allowed', 'invalid_credentials', 'too_many_attempts', 'invalid_refresh_token',
      'last_admin', 'match_locked', 'match_not_open', 'insufficient_balance', 'validation_failed', 'idempotency_key_reused', 'match_not_found', 'not_enrolled', 'bet_not_found'];
    for (const c of codes) expect(`err.${c}` in en, c).toBe(true);
  });
});

describe('translate', () => {
  it('interpolates parameters', () => {
    expect(translate('fr', 'common.pageOf', { page: 2, pages: 5 })).toBe('Page 2 sur 5');
    expect(translate('en', 'common.pageOf', { page: 2, pages: 5 })).toBe('Page 2 of 5');
  });
  it('keeps unknown placeholders visible', () => {
    expect(translate('en', 'common.pageOf', { page: 1 })).toBe('Page 1 of {pages}');
  });
});

describe('detectLocale', () => {
  it('prefers the stored choice, then the browser, then French', () => {
    expect(detectLocale('en', ['fr-FR'])).toBe('en');
    expect(detectLocale(null, ['de-DE', 'en-US'])).toBe('en');
    expect(detectLocale(null, ['fr-CA'])).toBe('fr');
    expect(detectLocale('xx', ['de'])).toBe('fr');
  });
});
