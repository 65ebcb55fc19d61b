#!/usr/bin/env python3
"""Where a page's WebAssembly code goes: code size by crate, and by the app type or component that
generic code is instantiated for. Reads the name section, so run it on split modules before
wasm-opt (which drops names); build with v0 symbol mangling to see generic arguments:

  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs \\
    -Csymbol-mangling-version=v0" cargo build -p frontend --lib --target wasm32-unknown-unknown \\
    --no-default-features --profile wasm-release --target-dir /tmp/front-v0
  kubeorch-wasm-split /tmp/front-v0/wasm32-unknown-unknown/wasm-release/frontend.wasm \\
    /tmp/split/main.wasm /tmp/split /pkg/kubeorch.js >/dev/null
  scripts/wasm-attribution.py /tmp/split editor_route     # the editor route's chunks
  scripts/wasm-attribution.py /tmp/split main             # the main module

Demangles with c++filt (binutils >= 2.36 reads v0 names)."""
import collections, json, os, re, subprocess, sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, i


def functions(path):
    """(mangled name, body size) of every function defined in the module at `path`."""
    data = open(path, 'rb').read()
    i, imported, bodies, names = 8, 0, [], {}
    while i < len(data):
        section = data[i]; size, i = leb(data, i + 1); end = i + size
        if section == 2:  # imports: function imports shift the function index space
            n, j = leb(data, i)
            for _ in range(n):
                for _ in range(2):
                    length, j = leb(data, j); j += length
                kind = data[j]; j += 1
                if kind == 0:
                    _, j = leb(data, j); imported += 1
                elif kind in (1, 2):
                    j += kind == 1
                    flags, j = leb(data, j); _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
        elif section == 10:
            n, j = leb(data, i)
            for _ in range(n):
                length, j = leb(data, j); bodies.append(length); j += length
        elif section == 0:
            length, j = leb(data, i)
            if data[j:j + length] == b'name':
                j += length
                while j < end:
                    sub = data[j]; sub_size, j = leb(data, j + 1); sub_end = j + sub_size
                    if sub == 1:
                        n, k = leb(data, j)
                        for _ in range(n):
                            index, k = leb(data, k); length, k = leb(data, k)
                            names[index] = data[k:k + length].decode('utf8', 'replace'); k += length
                    j = sub_end
        i = end
    return [(names.get(imported + f, '?'), size) for f, size in enumerate(bodies)]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, which = sys.argv[1:]
    if which == 'main':
        files = [os.path.join(folder, 'main.wasm')]
    else:
        needs = json.load(open(os.path.join(folder, '__wasm_split_chunks.json')))
        keys = [k for k in needs if which in k]
        if len(keys) != 1:
            sys.exit(f'{which!r} matches {keys} in the split manifest')
        files = [os.path.join(folder, f + '.wasm') for f in needs[keys[0]]]
    fns = [f for path in files for f in functions(path)]
    plain = subprocess.run(['c++filt'], input='\n'.join(n for n, _ in fns),
                           capture_output=True, text=True, check=True).stdout.split('\n')
    crates, owners, own = collections.Counter(), collections.Counter(), collections.Counter()
    for (_, size), name in zip(fns, plain):
        name = re.sub(r'\[[0-9a-f]+\]', '', name)
        first = re.match(r'[<&\s]*(?:mut )?([A-Za-z_][A-Za-z0-9_]*)::', name)
        crates[first.group(1) if first else name[:30]] += size
        paths = re.findall(r'app::((?:[a-z_0-9]+::)*[A-Za-z_0-9]+)', name)
        parts = [p for p in paths if p.startswith(('components', 'pages', 'client', 'api'))]
        pick = (parts or paths or [None])[0]
        key = 'app::' + '::'.join(pick.split('::')[:3]) if pick else '(no app type)'
        owners[key] += size
        if name.startswith('app::'):
            own[key] += size
    total = sum(crates.values())
    print(f'{len(files)} modules, {len(fns)} functions, {total} bytes of code (before wasm-opt)\n')
    print('bytes  share  crate (the function\'s own path)')
    for crate, size in crates.most_common(20):
        print(f'{size:8d} {size * 100 / total:5.1f}%  {crate}')
    print('\nbytes  share  app\'s own  instantiated for (first app component or type in the name)')
    for key, size in owners.most_common(int(os.environ.get('TOP', '40'))):
        print(f'{size:8d} {size * 100 / total:5.1f}%  {own[key]:8d}  {key}')


main()
