// Loading/error/data state for one fetch, with abort of stale requests.
export type Resource<T> = { data: T | null; error: unknown; loading: boolean; reload: () => Promise<void> };

export function resource<T>(fetcher: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const r = $state({ data: null as T | null, error: null as unknown, loading: true });
  let ctrl: AbortController | null = null;
  async function reload() {
    ctrl?.abort();
    const c = (ctrl = new AbortController());
    r.loading = true;
    r.error = null;
    try {
      const d = await fetcher(c.signal);
      if (!c.signal.aborted) r.data = d;
    } catch (e) {
      if ((e as Error)?.name !== 'AbortError' && !c.signal.aborted) r.error = e;
    } finally {
      if (!c.signal.aborted) r.loading = false;
    }
  }
  return {
    get data() { return r.data; },
    set data(v) { r.data = v; },
    get error() { return r.error; },
    get loading() { return r.loading; },
    reload,
  };
}
