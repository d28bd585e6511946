import { api } from './api';
import type { Tournament } from './types';

// The tournament picker's choice, shared by the employee pages.
export const tournaments = $state<{ list: Tournament[] | null; selected: number | null; error: unknown }>({ list: null, selected: null, error: null });
let inflight: Promise<void> | null = null;

export function loadTournaments(force = false): Promise<void> {
  if (tournaments.list && !force) return Promise.resolve();
  if (!inflight) {
    tournaments.error = null;
    inflight = api
      .get<{ items: Tournament[] }>('/tournaments')
      .then((r) => {
        tournaments.list = r.items;
        if (!r.items.some((x) => x.id === tournaments.selected)) {
          // the current or next tournament first
          const now = Date.now();
          const current = r.items.find((x) => new Date(x.ends_at).getTime() >= now) ?? r.items[r.items.length - 1];
          tournaments.selected = current?.id ?? null;
        }
      })
      .catch((e) => (tournaments.error = e))
      .finally(() => (inflight = null));
  }
  return inflight;
}
