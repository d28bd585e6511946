// First render of the login page on loopback, headless Chromium, N cold loads (a fresh browser
// context each: empty cache, no cookies). Per load, from the Performance API: navigation start →
// first contentful paint, and → the login form (#email) in the DOM and visible (recorded in the page
// by a MutationObserver + requestAnimationFrame). Prints both medians; exits 1 when either median
// reaches the budget.
// Usage: node perf/first-render.mjs <url> [runs=5] [budget_ms=500]
import { chromium } from 'playwright-core';

const [url, runsArg, budgetArg] = process.argv.slice(2);
if (!url) {
  console.error('usage: node perf/first-render.mjs <url> [runs] [budget_ms]');
  process.exit(2);
}
const runs = Number(runsArg || 5);
const budget = Number(budgetArg || 500);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const fcp = [];
const form = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
    await ctx.addInitScript(() => {
      const mark = () => {
        const el = document.getElementById('email');
        if (el && el.getClientRects().length) {
          // the frame that shows it
          requestAnimationFrame(() => (window.__formVisible = performance.now()));
          return true;
        }
        return false;
      };
      new MutationObserver((_, obs) => mark() && obs.disconnect()).observe(document, { subtree: true, childList: true });
    });
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__formVisible !== undefined, null, { timeout: 10_000 });
    const r = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const done = (fcp) => resolve({ fcp, form: window.__formVisible });
          new PerformanceObserver((list) => {
            const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
            if (e) done(e.startTime);
          }).observe({ type: 'paint', buffered: true });
          setTimeout(() => done(NaN), 2000);
        }),
    );
    await ctx.close();
    if (i === 0) continue; // the first load warms the server and the browser process, not counted
    fcp.push(r.fcp);
    form.push(r.form);
  }
} finally {
  await browser.close();
}
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(`first render (${runs} cold loads, headless Chromium, loopback): ${url}`);
console.log(`  first contentful paint: median ${median(fcp).toFixed(0)} ms   [${fmt(fcp)}]`);
console.log(`  login form visible:     median ${median(form).toFixed(0)} ms   [${fmt(form)}]   budget ${budget} ms`);
const worst = Math.max(median(fcp), median(form));
if (!(worst < budget)) {
  console.error(`FAIL: first render after ${worst.toFixed(0)} ms (budget ${budget} ms; FCP or login form, medians)`);
  process.exit(1);
}
