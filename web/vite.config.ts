import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The service (gw2opt serve) during `npm run dev`: API and WebSockets are proxied to it.
const service = process.env.GW2OPT_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [
    preact(),
    // Brotli and gzip siblings of every text asset, served by the binary as they are
    // (no compression per request).
    compression({
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip')],
      include: /\.(js|css|html|svg|json|txt)$/,
      threshold: 0,
      deleteOriginalAssets: false,
    }),
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or data: modules: the CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: service, ws: true, changeOrigin: false },
      '/docs': service,
      '/health': service,
    },
  },
  preview: {
    proxy: {
      '/api': { target: service, ws: true, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
