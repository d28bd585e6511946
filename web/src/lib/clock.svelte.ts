// One shared ticking clock for countdowns (a single interval for the whole page).
const c = $state({ now: Date.now() });
let timer: ReturnType<typeof setInterval> | null = null;
let users = 0;

export function useClock() {
  $effect(() => {
    users++;
    if (!timer) timer = setInterval(() => (c.now = Date.now()), 1000);
    return () => {
      if (--users === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  });
  return c;
}
