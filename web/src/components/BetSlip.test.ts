import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import BetSlip from './BetSlip.svelte';
import { setLocale } from '../lib/i18n/index.svelte';
import type { Match } from '../lib/types';

const match: Match = {
  id: 7, tournament_id: 1, stage: 'group', group: 'A', round: null, kickoff: new Date(Date.now() + 3600_000).toISOString(),
  home: { name: 'France', code: 'FRA', flag_url: null, tbd: false }, away: { name: 'Brazil', code: 'BRA', flag_url: null, tbd: false },
  venue: null, odds: { home: 2.3, draw: 3.1, away: 2.9 }, status: 'scheduled', score: null, open: true, my_bet: null, distribution: null,
};

function setInput(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('BetSlip', () => {
  it('shows floor(stake × odds) and flags an inconsistent exact score', () => {
    setLocale('en');
    cmp = mount(BetSlip, { target: document.body, props: { match, balance: 500, initialPick: 'home', onsaved: () => {}, onclose: () => {}, onlocked: () => {} } });
    setInput(document.querySelector<HTMLInputElement>('#slip-7-stake')!, '100');
    expect(document.querySelector('.payout')!.textContent).toContain('230');
    const box = document.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    box.click();
    flushSync();
    setInput(document.querySelector<HTMLInputElement>('#slip-7-home')!, '0');
    setInput(document.querySelector<HTMLInputElement>('#slip-7-away')!, '1');
    expect(document.body.textContent).toContain('does not match your pick');
    expect(document.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).toBe(true);
    setInput(document.querySelector<HTMLInputElement>('#slip-7-home')!, '2');
    expect(document.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).toBe(false);
  });

  it('refuses a stake above the balance', () => {
    setLocale('en');
    cmp = mount(BetSlip, { target: document.body, props: { match, balance: 50, initialPick: 'draw', onsaved: () => {}, onclose: () => {}, onlocked: () => {} } });
    setInput(document.querySelector<HTMLInputElement>('#slip-7-stake')!, '80');
    expect(document.body.textContent).toContain('Not enough Betcoins');
  });

  it('reuses the Idempotency-Key when retrying after a server error', async () => {
    const keys: string[] = [];
    let calls = 0;
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['Idempotency-Key']);
      calls++;
      if (calls === 1) return new Response('oops', { status: 503 });
      return new Response(JSON.stringify({ bet: { id: 1, pick: 'home', stake: 10 }, balance: 90 }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }));
    const onsaved = vi.fn();
    cmp = mount(BetSlip, { target: document.body, props: { match, balance: 100, initialPick: 'home', onsaved, onclose: () => {}, onlocked: () => {} } });
    setInput(document.querySelector<HTMLInputElement>('#slip-7-stake')!, '10');
    document.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(onsaved).toHaveBeenCalledWith(expect.objectContaining({ id: 1 }), 90);
  });
});
