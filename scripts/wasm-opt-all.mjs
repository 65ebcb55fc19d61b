// wasm-opt -Oz for many modules in one process: the main module and every lazily loaded chunk.
// npm's binaryen is binaryen compiled to WebAssembly and takes seconds to start, so starting the
// `wasm-opt` command once per chunk (hundreds of them) would take minutes.
//   node scripts/wasm-opt-all.mjs FILE.wasm...   (each file is replaced by its optimised form)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const binaryen = (await import(require.resolve('binaryen'))).default;

binaryen.setOptimizeLevel(2); // -Oz: the default passes at optimise level 2, shrink level 2
binaryen.setShrinkLevel(2);
// Stack IR: peephole optimisations on the binary's stack form at emit time (what the wasm-opt
// command does when optimising; the JavaScript API leaves it off). ~0.4 % smaller after gzip.
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
// `--low-memory-unused`: lets wasm-opt fold an added constant below 1 kB into a load's or store's
// offset. That differs only when pointer + constant wraps past 4 GiB into the first 1 kB, and no
// pointer Rust forms lies that close to 4 GiB (the memory is far smaller). ~0.3 % smaller (gzip).
binaryen.setLowMemoryUnused(true);
const features =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.BulkMemory |
  (binaryen.Features.BulkMemoryOpt ?? 0) |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.Multivalue;

for (const file of process.argv.slice(2)) {
  // The split chunks call every function of another module through a small shim (its arguments,
  // the table slot, `call_indirect`): inlining functions up to 6 expressions, which takes in the
  // shims, makes the chunks smaller (the editor's pack 1.7 % after gzip); the main module is
  // smallest at wasm-opt's default of 2.
  binaryen.setAlwaysInlineMaxSize(/(^|\/)(chunk|split)_[^/]*\.wasm$/.test(file) ? 6 : 2);
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(features);
  module.optimize();
  // What the browser never reads: the toolchain's name and version, the target features list.
  module.runPasses(['strip-producers', 'strip-target-features']);
  if (!module.validate()) {
    console.error(`wasm-opt-all: ${file} does not validate after optimising`);
    process.exit(1);
  }
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
