// Minifies the bundled stylesheet in place (clean-css, level 1: whitespace, comments, number and
// colour forms; no rule merging, so the cascade is unchanged), as cargo-leptos does in release.
//   node scripts/minify-css.mjs FILE.css
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const CleanCSS = require('clean-css');

for (const file of process.argv.slice(2)) {
  const result = new CleanCSS({ level: 1 }).minify(readFileSync(file, 'utf8'));
  if (result.errors.length > 0 || result.styles.length === 0) {
    console.error(`minify-css: ${file}: ${result.errors.join('; ') || 'no output'}`);
    process.exit(1);
  }
  for (const warning of result.warnings) console.error(`minify-css: ${file}: ${warning}`);
  writeFileSync(file, result.styles);
}
