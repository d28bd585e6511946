// One shared ticking clock for countdowns (a single interval for the whole page), on server time.
import { serverNow } from './api';

const c = $state({ now: serverNow() });
let timer: ReturnType<typeof setInterval> | null = null;
let users = 0;

export function useClock() {
  $effect(() => {
    users++;
    c.now = serverNow();
    if (!timer) timer = setInterval(() => (c.now = serverNow()), 1000);
    return () => {
      if (--users === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  });
  return c;
}
