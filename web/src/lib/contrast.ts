// WCAG 2.x colour contrast helpers, used for runtime branding and the admin branding page.

export type RGB = { r: number; g: number; b: number };

/** Parses #rgb or #rrggbb (case-insensitive). Returns null for anything else. */
export function parseHex(hex: string): RGB | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  const n = parseInt(h, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

export function toHex({ r, g, b }: RGB): string {
  const c = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function relativeLuminance(color: string | RGB): number {
  const c = typeof color === 'string' ? parseHex(color) : color;
  if (!c) throw new Error(`invalid colour: ${String(color)}`);
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** WCAG contrast ratio between two colours, 1 … 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

export const AA_NORMAL = 4.5;
export const AA_LARGE = 3;

export function meetsAA(fg: string, bg: string, large = false): boolean {
  return contrastRatio(fg, bg) >= (large ? AA_LARGE : AA_NORMAL);
}

/** Black-ish or white text, whichever reads better on bg. */
export function readableTextOn(bg: string, dark = '#111827', light = '#ffffff'): string {
  return contrastRatio(dark, bg) >= contrastRatio(light, bg) ? dark : light;
}

/**
 * Proposes a colour close to `color` that reaches `target` contrast against `against`,
 * by darkening (or lightening) it step by step. Used to suggest a fix on the branding page.
 */
export function adjustForContrast(color: string, against: string, target = AA_NORMAL): string {
  const c = parseHex(color);
  if (!c) return color;
  if (contrastRatio(toHex(c), against) >= target) return toHex(c);
  const darken = relativeLuminance(against) > 0.18;
  for (let i = 1; i <= 20; i++) {
    const f = darken ? 1 - i * 0.05 : i * 0.05;
    const next = darken
      ? { r: c.r * f, g: c.g * f, b: c.b * f }
      : { r: c.r + (255 - c.r) * f, g: c.g + (255 - c.g) * f, b: c.b + (255 - c.b) * f };
    const hex = toHex(next);
    if (contrastRatio(hex, against) >= target) return hex;
  }
  return darken ? '#000000' : '#ffffff';
}
