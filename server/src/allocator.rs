//! The process allocator: mimalloc instead of glibc's. A deploy allocates heavily across the
//! runtime's threads (JSON bodies, rendered objects) and glibc's arenas cost about 13 % of its
//! time (docs/benchmarks.md). Every binary linking the server gets it. Built without
//! transparent huge pages (`no_thp`): with them each held SSE stream kept ~30 KiB resident
//! instead of ~18 KiB.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
