// Bundles the dashboard's browser code and styles into ../wwwroot/dist (build output, not committed).
// One script and one stylesheet, served from our own origin: the page's CSP allows nothing else.
import * as esbuild from "esbuild";

await esbuild.build({
  entryPoints: { app: "src/main.js", styles: "src/app.css" },
  outdir: "../wwwroot/dist",
  bundle: true,
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
});

// Both catalogues carry the same keys: a string missing in one language would show its key or the other language.
const { default: en } = await import("./src/messages/en.js");
const { default: zh } = await import("./src/messages/zh-CN.js");
const missing = [...Object.keys(en).filter(key => !(key in zh)).map(key => `zh-CN lacks ${key}`),
  ...Object.keys(zh).filter(key => !(key in en)).map(key => `en lacks ${key}`)];
if (missing.length) {
  console.error(missing.join("\n"));
  process.exit(1);
}
