import { defineConfig } from "vite";

// Preact's automatic JSX runtime through Vite's own transformer: no plugin, no Babel.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // Tauri serves the files itself; relative paths keep the build location-independent.
  base: "./",
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, sourcemap: false },
});
