// Minifies the browser bundle's JavaScript (wasm-bindgen's glue, the chunk loader) in place, as
// cargo-leptos does in release builds. ES modules: top-level names are mangled, exports and
// imports keep their names (the wasm module and the page import them by name).
//   node scripts/minify-js.mjs FILE.js...
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { minify } = await import(require.resolve('terser'));

for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8');
  const result = await minify(source, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (typeof result.code !== 'string' || result.code.length === 0) {
    console.error(`minify-js: no output for ${file}`);
    process.exit(1);
  }
  writeFileSync(file, result.code);
}
