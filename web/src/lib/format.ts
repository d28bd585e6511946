// Pure formatting and betting arithmetic, shared by pages and unit-tested.

/** Potential payout of a bet: floor(stake × odds), computed without float drift. */
export function potentialPayout(stake: number, odds: number): number {
  if (!Number.isFinite(stake) || !Number.isFinite(odds) || stake <= 0 || odds <= 0) return 0;
  // odds have at most 2-3 decimals: work in thousandths to avoid 2.3*100 = 229.99999.
  return Math.floor((Math.round(stake) * Math.round(odds * 1000)) / 1000);
}

export type Pick = 'home' | 'draw' | 'away';

/** The pick implied by an exact score. */
export function pickForScore(home: number, away: number): Pick {
  return home > away ? 'home' : home < away ? 'away' : 'draw';
}

export function scoreConsistent(pick: Pick, home: number | null, away: number | null): boolean {
  if (home === null || away === null) return true;
  return pickForScore(home, away) === pick;
}

export type CountdownParts = { days: number; hours: number; minutes: number; seconds: number; past: boolean };

export function countdownParts(ms: number): CountdownParts {
  const past = ms <= 0;
  let s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  return { days, hours, minutes, seconds: s - minutes * 60, past };
}

/** Compact countdown: "2 d 04:10:05", "04:10:05", "09:05". Empty when past. */
export function formatCountdown(ms: number, dayUnit = 'd'): string {
  const p = countdownParts(ms);
  if (p.past) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const hms = p.hours > 0 || p.days > 0 ? `${two(p.hours)}:${two(p.minutes)}:${two(p.seconds)}` : `${two(p.minutes)}:${two(p.seconds)}`;
  return p.days > 0 ? `${p.days} ${dayUnit} ${hms}` : hms;
}

/** YYYY-MM-DD of an instant in a time zone (the user's by default). */
export function localDayKey(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function idempotencyKey(): string {
  const c: Crypto = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
