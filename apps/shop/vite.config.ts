import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The demo shop: the kit's packages come from source (the workspace's export condition), and in
// development /api and /alipay go to the BFF (started by `pnpm demo` on :3000).
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@alipay-kit/source', 'module', 'browser', 'development|production'] },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/alipay': 'http://127.0.0.1:3000' },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
})
