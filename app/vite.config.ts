/** Vite and the Remix plugin: the build of the app. */
import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
  // Workers are bundled on their own: they resolve "~/" like the app.
  worker: { plugins: () => [tsconfigPaths()] },
  build: { target: "es2022" },
});
