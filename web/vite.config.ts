/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

// Where the Go server listens in development. Override with BETCITY_API=http://localhost:5001.
const target = process.env.BETCITY_API ?? 'http://localhost:5000';
// changeOrigin:false keeps the browser's Host header (acme.localhost:5173 → tenant "acme").
const proxy = { target, changeOrigin: false, ws: false };

// web/dist holds one committed file, placeholder.html (served by the Go binary when the UI
// was never built). Vite's emptyOutDir would delete it, so we clean only what the build owns.
function cleanOwnOutput(): Plugin {
  return {
    name: 'betcity-clean-dist',
    apply: 'build',
    buildStart() {
      const dist = resolve(import.meta.dirname, 'dist');
      rmSync(resolve(dist, 'assets'), { recursive: true, force: true });
      rmSync(resolve(dist, 'index.html'), { force: true });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), cleanOwnOutput()],
  server: {
    host: true,
    proxy: { '/api': proxy, '/media': proxy, '/static': proxy, '/healthz': proxy, '/readyz': proxy },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
});
