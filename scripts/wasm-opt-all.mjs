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
