import { api, onSessionChange, refreshSession, setAccessToken } from './api';
import type { AuthResponse, PublicCompany, User } from './types';

export const session = $state<{ user: User | null; company: PublicCompany | null; ready: boolean }>({
  user: null,
  company: null,
  ready: false,
});

onSessionChange((a) => {
  session.user = a ? a.user : null;
});

function accept(a: AuthResponse) {
  setAccessToken(a.access_token);
  session.user = a.user;
}

export async function restoreSession() {
  await refreshSession();
  session.ready = true;
}

export async function login(email: string, password: string) {
  accept(await api.post<AuthResponse>('/auth/login', { email, password }, { noRefresh: true }));
}

export async function signup(body: { email: string; password: string; display_name: string; invite?: string }) {
  accept(await api.post<AuthResponse>('/auth/signup', body, { noRefresh: true }));
}

export async function logout() {
  try {
    await api.post('/auth/logout', undefined, { noRefresh: true });
  } catch {
    /* the session ends locally regardless */
  }
  setAccessToken(null);
  session.user = null;
}

export function setUser(u: User) {
  session.user = u;
}

export const isStaff = (u: User | null) => !!u && (u.role === 'admin' || u.role === 'hr');
