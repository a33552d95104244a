import { defineConfig } from 'vite';

// The dashboard is built into dist/, which the server serves at /. In development, `npm run dev -w @overdue/dashboard`
// proxies the API to a server on :8000.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, reportCompressedSize: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8000', '/ping': 'http://127.0.0.1:8000' } },
});
