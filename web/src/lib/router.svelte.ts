// A tiny history-API router. The Go server answers index.html for unknown non-API paths.

export type Match = { params: Record<string, string> };

/** Matches "/admin/:tab?"-style patterns. Returns params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const clean = (s: string) => s.replace(/\/+$/, '') || '/';
  const pp = clean(pattern).split('/');
  const ap = clean(path).split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(pp.length, ap.length); i++) {
    const p = pp[i];
    const a = ap[i];
    if (p === undefined) return null;
    if (p.startsWith(':')) {
      const optional = p.endsWith('?');
      const name = p.slice(1, optional ? -1 : undefined);
      if (a === undefined || a === '') {
        if (!optional) return null;
        continue;
      }
      params[name] = decodeURIComponent(a);
    } else if (p !== a) return null;
  }
  return params;
}

export const route = $state({ path: '/', query: new URLSearchParams() });

function sync() {
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState({}, '', to);
  else history.pushState({}, '', to);
  sync();
  window.scrollTo?.(0, 0);
}

/** Click handler for in-app links: keeps modifier-clicks and external links native. */
export function link(node: HTMLAnchorElement) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const href = node.getAttribute('href');
    if (!href || !href.startsWith('/') || node.target) return;
    e.preventDefault();
    navigate(href);
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}

export function startRouter() {
  sync();
  window.addEventListener('popstate', sync);
}
