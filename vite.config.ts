import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// The web app lives in src/web; `vite build` writes it to dist/web, which the Fastify server serves (with
// an SPA fallback). In development (`npm run dev:web`), /api goes to the server started by `npm run dev`.
export default defineConfig({
  root: at('./src/web'),
  plugins: [react()],
  css: { postcss: at('.') },
  build: {
    outDir: at('./dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    // Mantine and React make one large but cacheable vendor chunk; the warning says nothing useful here.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
