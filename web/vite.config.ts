import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

/**
 * Vant's icon font lists a copy on a CDN (at.alicdn.com) after the embedded one: a government
 * intranet cannot reach it and the CSP (font-src 'self' data:) refuses it. Keep the embedded font only.
 */
const vantIconsOffline = {
  name: 'vant-icons-offline',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!id.includes('/vant/') || !id.endsWith('.css')) return null
    return { code: code.replace(/,\s*url\((?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\("[a-z0-9]+"\)/g, ''), map: null }
  },
}

export default defineConfig({
  base: '/',
  plugins: [vue(), vantIconsOffline],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/healthz': { target: 'http://127.0.0.1:8080' },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus alone is ~1 MB before gzip; the admin console is loaded once.
    chunkSizeWarningLimit: 1500,
    // Two pages: the console (index.html) and the member portal under /m/ (portal.html, Vant).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        portal: fileURLToPath(new URL('./portal.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
})
