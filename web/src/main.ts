import './app.css';
import { mount } from 'svelte';
import { ApiError, api } from './lib/api';
import { applyBranding } from './lib/branding';
import { restoreSession, session } from './lib/session.svelte';
import { startRouter } from './lib/router.svelte';
import type { PublicCompany } from './lib/types';
import App from './App.svelte';
import BootFailure from './pages/BootFailure.svelte';

const target = document.getElementById('app')!;

async function fetchCompany(): Promise<PublicCompany> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    return await api.get<PublicCompany>('/company', undefined, ctrl.signal);
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw new ApiError(0, 'network_error', 'timeout');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function boot() {
  // The company (branding) and the silent refresh run in parallel; nothing is painted
  // but the neutral spinner in index.html until both resolve.
  const [company] = await Promise.allSettled([fetchCompany(), restoreSession()]);
  target.textContent = '';
  if (company.status === 'rejected') {
    const e = company.reason;
    const notFound = e instanceof ApiError && e.code === 'company_not_found';
    mount(BootFailure, { target, props: { notFound, error: e } });
    return;
  }
  applyBranding(company.value);
  session.company = company.value;
  document.title = company.value.name;
  startRouter();
  mount(App, { target });
}

boot();
