import { en, type MessageKey } from './en';
import { fr } from './fr';

export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'betcity.locale';

export function detectLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr'; // first clients are French
}

function initial(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    /* storage disabled */
  }
  const langs = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  return detectLocale(stored, langs);
}

const state = $state({ locale: initial() });
if (typeof document !== 'undefined') document.documentElement.lang = state.locale;

export function locale(): Locale {
  return state.locale;
}

export function setLocale(l: Locale) {
  state.locale = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = l;
}

export type Params = Record<string, string | number>;

export function translate(l: Locale, key: MessageKey, params?: Params): string {
  const msg = dictionaries[l][key] ?? en[key] ?? key;
  return params ? msg.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`)) : msg;
}

/** Translates in the current locale; reactive inside templates and $derived. */
export function t(key: MessageKey, params?: Params): string {
  return translate(state.locale, key, params);
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

const intlLocale = (l: Locale) => (l === 'fr' ? 'fr-FR' : 'en-GB');

export function formatDateTime(iso: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(intlLocale(state.locale), opts).format(new Date(iso));
}
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(state.locale), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(state.locale), { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));
}
export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(state.locale), opts).format(n);
}
export function formatOdds(n: number): string {
  return new Intl.NumberFormat(intlLocale(state.locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

export type { MessageKey };
