// Builds the console into web/dist, which the service serves at `/`.
// In development, API calls are proxied to a running service (XIEZHI_API, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.XIEZHI_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  server: { proxy: { '/v1': api, '/healthz': api } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
