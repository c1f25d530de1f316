// Builds the portal into dist/, which the server serves at / (packages/server/src/portal/portal-static.ts).
// Vite 8 compiles TSX with its built-in transform (tsconfig "jsx": "react-jsx"); no React plugin is needed
// because the portal has no dev-server hot reload requirements beyond a full page reload.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev -w @notion-local/portal` against a running `notion-local serve` on :3000.
    proxy: {
      '/portal/api': 'http://127.0.0.1:3000',
      '/sign-in': 'http://127.0.0.1:3000',
      '/v1': 'http://127.0.0.1:3000',
    },
  },
});
