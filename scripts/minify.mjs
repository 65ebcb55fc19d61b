// Minifies the bundle's JavaScript (wasm-bindgen's glue, the chunk loader: terser) and stylesheet
// (clean-css level 1: whitespace, comments, number and colour forms, no rule merging, so the
// cascade is unchanged) in place, as cargo-leptos does in release builds. ES modules keep their
// exports' and imports' names (the wasm module and the page use them by name).
//   node scripts/minify.mjs FILE.js|FILE.css...
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));

async function minifyJs(source) {
  const { minify } = await import(require.resolve('terser'));
  const result = await minify(source, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  return { code: result.code, errors: [] };
}

function minifyCss(source) {
  const CleanCSS = require('clean-css');
  const result = new CleanCSS({ level: 1 }).minify(source);
  for (const warning of result.warnings) console.error(`minify: ${warning}`);
  return { code: result.styles, errors: result.errors };
}

for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8');
  const { code, errors } = file.endsWith('.css') ? minifyCss(source) : await minifyJs(source);
  if (errors.length > 0 || typeof code !== 'string' || code.length === 0) {
    console.error(`minify: ${file}: ${errors.join('; ') || 'no output'}`);
    process.exit(1);
  }
  writeFileSync(file, code);
}
