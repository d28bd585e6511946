import { readableTextOn, parseHex } from './contrast';
import type { PublicCompany } from './types';

export const DEFAULT_PRIMARY = '#1d4ed8';
export const DEFAULT_ACCENT = '#f59e0b';

/** Applies the tenant's colours as CSS custom properties on :root. */
export function applyBranding(c: Pick<PublicCompany, 'primary_color' | 'accent_color'>, root: HTMLElement = document.documentElement) {
  const primary = parseHex(c.primary_color ?? '') ? c.primary_color : DEFAULT_PRIMARY;
  const accent = parseHex(c.accent_color ?? '') ? c.accent_color : DEFAULT_ACCENT;
  root.style.setProperty('--brand-primary', primary);
  root.style.setProperty('--brand-accent', accent);
  root.style.setProperty('--brand-on-primary', readableTextOn(primary));
  root.style.setProperty('--brand-on-accent', readableTextOn(accent));
  const meta = document.querySelector('meta[name="theme-color"]') ?? Object.assign(document.createElement('meta'), { name: 'theme-color' });
  meta.setAttribute('content', primary);
  document.head.append(meta);
}
