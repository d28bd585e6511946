import { describe, expect, it } from 'vitest';
import { countdownParts, formatCountdown, idempotencyKey, localDayKey, pickForScore, potentialPayout, scoreConsistent } from './format';

describe('potentialPayout', () => {
  it('is floor(stake × odds)', () => {
    expect(potentialPayout(100, 2.5)).toBe(250);
    expect(potentialPayout(10, 1.55)).toBe(15);
    expect(potentialPayout(3, 1.33)).toBe(3);
    expect(potentialPayout(7, 3.1)).toBe(21);
  });
  it('does not lose a coin to float drift', () => {
    // 100 * 2.3 = 229.99999999999997 in floating point
    expect(potentialPayout(100, 2.3)).toBe(230);
    expect(potentialPayout(10, 1.1)).toBe(11);
    expect(potentialPayout(1000, 4.35)).toBe(4350);
  });
  it('is 0 for empty or invalid input', () => {
    expect(potentialPayout(0, 2)).toBe(0);
    expect(potentialPayout(-5, 2)).toBe(0);
    expect(potentialPayout(NaN, 2)).toBe(0);
  });
});

describe('exact score consistency', () => {
  it('maps scores to picks', () => {
    expect(pickForScore(2, 1)).toBe('home');
    expect(pickForScore(0, 0)).toBe('draw');
    expect(pickForScore(1, 3)).toBe('away');
  });
  it('accepts a missing score and rejects a contradiction', () => {
    expect(scoreConsistent('home', null, null)).toBe(true);
    expect(scoreConsistent('home', 2, 0)).toBe(true);
    expect(scoreConsistent('draw', 2, 0)).toBe(false);
    expect(scoreConsistent('away', 1, 1)).toBe(false);
  });
});

describe('countdown', () => {
  it('splits durations', () => {
    expect(countdownParts(90_061_000)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1, past: false });
    expect(countdownParts(-5).past).toBe(true);
  });
  it('formats compactly', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(3_600_000 + 10_000)).toBe('01:00:10');
    expect(formatCountdown(2 * 86_400_000 + 4 * 3_600_000, 'j')).toBe('2 j 04:00:00');
    expect(formatCountdown(999)).toBe('00:00');
    expect(formatCountdown(0)).toBe('');
  });
});

describe('localDayKey', () => {
  it('groups by the day in the given time zone', () => {
    expect(localDayKey('2026-06-11T22:30:00Z', 'Europe/Paris')).toBe('2026-06-12');
    expect(localDayKey('2026-06-11T22:30:00Z', 'America/New_York')).toBe('2026-06-11');
  });
});

describe('idempotencyKey', () => {
  it('is unique', () => {
    const a = idempotencyKey();
    expect(a).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(idempotencyKey()).not.toBe(a);
  });
});

import { noteServerDate, serverNow } from './api';
describe('server clock', () => {
  it('follows the Date header of the last response', () => {
    const sent = Date.now();
    noteServerDate(new Date(sent + 3 * 3600_000).toUTCString(), sent);
    expect(Math.abs(serverNow() - (Date.now() + 3 * 3600_000))).toBeLessThan(1500);
    noteServerDate(new Date(Date.now()).toUTCString(), Date.now());
    expect(Math.abs(serverNow() - Date.now())).toBeLessThan(1500);
  });
});
