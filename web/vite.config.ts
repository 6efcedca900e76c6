import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The web app (agent console, customer portal, public charter page). `npm run build:web` writes
 * web/dist, which `fairdesk serve` serves; `npm run dev:web` serves it with hot reload and passes
 * API calls (and the server-rendered sign-in page) to a `fairdesk serve` on port 3000.
 */
const api = process.env.FAIRDESK_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    // The offers contract reaches the YAML reader of product fits (src/domain/yaml-document.ts), which the
    // app never calls; the `yaml` package does not declare itself free of side effects, so say it here
    // and let the unused parser drop out of the bundle (about 60 kB).
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]yaml[\\/]/.test(id) } },
  },
  server: {
    port: 5173,
    proxy: { '/api': api, '/healthz': api, '/portal/confirm.js': api, '/portal/portal.css': api, '^/portal/[^/]+/confirm$': api },
    fs: { allow: ['..'] },
  },
});
