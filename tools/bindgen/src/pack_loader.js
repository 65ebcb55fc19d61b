// Packs (added by kubeorch-wasm-split pack): a split point's chunks in one download.
// packTable: chunks (runs [first, last] of chunk numbers) and modules (the split points with a
// module of their own), from which packTable.files is made (names without .wasm, sorted as the
// tool sorts them), sizes (per file, in 256-byte units rounded up), splits, needs (per split point, a hex bitset over
// files: character j holds files 4j..4j+3, bit i & 3), packs ([split, ...split points loaded before: none, a route, or a route and a part]).
// Before a split point loads, packPlan picks the packs that bring what it still misses (a pack is
// taken when it re-downloads fewer bytes than it brings); packFetch then serves each chunk from
// its pack, or fetches the chunk's own file. packExport builds a split point's loader (its own
// module, split_{name}, after every chunk it needs); packChunk one loader per chunk, shared.
packTable.files = packTable.chunks
    .flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, k) => `chunk_${first + k}`))
    .concat(packTable.modules.map((split) => `split_${packTable.splits[split]}`))
    .sort();
const packSources = new Map(); // file -> Promise of its bytes from a pack, or null: fetched on its own
function packNeeds(split, file) {
    return (parseInt(packTable.needs[split][file >> 2] || "0", 16) >> (file & 3)) & 1;
}
function packMembers([split, ...after]) {
    const members = [];
    for (let file = 0; file < packTable.files.length; file++) {
        if (packNeeds(split, file) && !after.some((loaded) => packNeeds(loaded, file))) members.push(file);
    }
    return members;
}
function packRead(buffer, name) {
    const bytes = new Uint8Array(buffer);
    const parts = new Map();
    const header = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    if (header.some((b, i) => bytes[i] !== b)) throw new Error(`${name}: not a pack`);
    let at = 8;
    const leb = () => {
        let value = 0, shift = 0, byte;
        do {
            byte = bytes[at++];
            value += (byte & 0x7f) * 2 ** shift;
            shift += 7;
        } while (byte & 0x80);
        return value;
    };
    while (at < bytes.length) {
        const id = bytes[at++];
        const end = leb() + at;
        const nameEnd = leb() + at;
        if (id !== 0 || end > bytes.length || nameEnd > end) throw new Error(`${name}: corrupt pack`);
        parts.set(new TextDecoder().decode(bytes.subarray(at, nameEnd)), bytes.subarray(nameEnd, end));
        at = end;
    }
    return parts;
}
function packStart(pack, files) {
    const [split, ...after] = packTable.packs[pack];
    const name = `pack_${packTable.splits[split]}` +
        after.map((s, k) => (k === 0 ? "_after_" : "_and_") + packTable.splits[s]).join("");
    const parts = fetch(new URL(`./${name}.wasm`, import.meta.url)).then(async (response) => {
        if (!response.ok) throw new Error(`${name}.wasm: HTTP ${response.status}`);
        return packRead(await response.arrayBuffer(), name);
    });
    for (const file of files) {
        const fileName = packTable.files[file];
        const bytes = parts.then((found) => {
            if (!found.has(fileName)) throw new Error(`${name}.wasm has no ${fileName}`);
            return found.get(fileName);
        });
        bytes.catch(() => {
            if (packSources.get(fileName) === bytes) packSources.delete(fileName);
        });
        packSources.set(fileName, bytes);
    }
}
function packPlan(splitName) {
    const split = packTable.splits.indexOf(splitName);
    if (split < 0) return;
    const missing = new Set(packMembers([split]).filter((f) => !packSources.has(packTable.files[f])));
    const size = (files) => files.reduce((sum, f) => sum + packTable.sizes[f], 0);
    // A pack that brings everything still missing wins (the one re-downloading least); otherwise
    // the one bringing the most beyond what it re-downloads, and the rest comes file by file.
    while (missing.size > 0) {
        let best, bestScore;
        packTable.packs.forEach((pack, index) => {
            if (pack[0] !== split) return;
            const members = packMembers(pack);
            const gain = size(members.filter((f) => missing.has(f)));
            const waste = size(members.filter((f) => !missing.has(f)));
            if (waste > gain || gain === 0) return;
            const covers = members.filter((f) => missing.has(f)).length === missing.size;
            const score = covers ? [1, -waste] : [0, gain - waste];
            if (bestScore === undefined || score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) {
                [best, bestScore] = [[index, members], score];
            }
        });
        if (best === undefined) return;
        const [index, members] = best;
        packStart(index, members.filter((f) => missing.has(f)));
        members.forEach((f) => missing.delete(f));
    }
}
function packFetch(file) {
    const fromPack = packSources.get(file);
    if (fromPack) {
        return fromPack.then((bytes) => new Response(bytes, { headers: { "content-type": "application/wasm" } }));
    }
    const own = fetch(new URL(`./${file}.wasm`, import.meta.url));
    own.catch(() => {
        if (packSources.get(file) === null) packSources.delete(file);
    });
    packSources.set(file, null);
    return own;
}
function packWrap(split, load) {
    return wrapAsyncCb(async () => {
        packPlan(split);
        return load();
    });
}
function packInstantiate(file) {
    return () => {
        const src = packFetch(file);
        src.catch(() => {});
        return async (imports) => WebAssembly.instantiateStreaming(src, imports);
    };
}
const packChunks = new Map(); // file index -> its loader
function packChunk(file) {
    if (!packChunks.has(file)) packChunks.set(file, makeLoad(packInstantiate(packTable.files[file]), []));
    return packChunks.get(file);
}
function packExport(splitName) {
    const own = `split_${splitName}`;
    const files = packMembers([packTable.splits.indexOf(splitName)]);
    const chunks = files.filter((f) => packTable.files[f] !== own).map(packChunk);
    const module = files.length > chunks.length ? packInstantiate(own) : () => async () => ({});
    return packWrap(splitName, makeLoad(module, chunks));
}
