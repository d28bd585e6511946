import { describe, expect, it } from 'vitest';
import { matchPath, navigate, route, startRouter } from './router.svelte';

describe('matchPath', () => {
  it('matches static paths, ignoring a trailing slash', () => {
    expect(matchPath('/matches', '/matches')).toEqual({});
    expect(matchPath('/matches', '/matches/')).toEqual({});
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/matches', '/bets')).toBeNull();
    expect(matchPath('/', '/matches')).toBeNull();
  });
  it('extracts and decodes params', () => {
    expect(matchPath('/admin/:tab', '/admin/invites')).toEqual({ tab: 'invites' });
    expect(matchPath('/x/:id', '/x/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/admin/:tab', '/admin')).toBeNull();
  });
  it('supports optional params', () => {
    expect(matchPath('/admin/:tab?', '/admin')).toEqual({});
    expect(matchPath('/admin/:tab?', '/admin/teams')).toEqual({ tab: 'teams' });
    expect(matchPath('/admin/:tab?', '/admin/teams/extra')).toBeNull();
  });
});

describe('navigate', () => {
  it('pushes history and updates the route', () => {
    startRouter();
    navigate('/leaderboards?x=1');
    expect(location.pathname).toBe('/leaderboards');
    expect(route.path).toBe('/leaderboards');
    expect(route.query.get('x')).toBe('1');
    navigate('/login', { replace: true });
    expect(route.path).toBe('/login');
  });
});
