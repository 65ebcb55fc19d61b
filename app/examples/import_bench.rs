//! `make bench`: Compose conversion times for generated 20- and 100-service files (budgets:
//! < 5 ms and < 50 ms, release build), then a time-boxed fuzz run of the Compose converter and
//! the Kubernetes YAML import on mutated fixture files: any panic fails the run.
//!
//! Usage: `import_bench [FUZZ_SECONDS]` (default 60; 0 skips fuzzing).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use app::domain::import::{convert_compose, convert_kubernetes, ComposeInput};

/// A realistic service mix: web apps with ports, env, healthchecks and dependencies; workers;
/// databases with volumes; caches.
fn generated(services: usize) -> String {
    let mut out = String::from("services:\n");
    let mut volumes = String::from("volumes:\n");
    for i in 0..services {
        match i % 4 {
            0 => out.push_str(&format!(
                "  web{i}:\n    image: ghcr.io/example/web:{i}\n    ports: [\"{}:8080\", \"9{i:03}\"]\n    environment:\n      LOG_LEVEL: info\n      DB_PASSWORD: secret{i}\n      DATABASE_HOST: db{}\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/health\"]\n      interval: 10s\n    deploy:\n      replicas: 2\n      resources: {{ limits: {{ cpus: '0.5', memory: 256M }} }}\n    depends_on: [db{}]\n    labels: {{ com.example.tier: web }}\n",
                8000 + i, i + 2, i + 2
            )),
            1 => out.push_str(&format!(
                "  worker{i}:\n    image: ghcr.io/example/worker:{i}\n    command: celery -A app worker --concurrency 4\n    environment: [\"QUEUE=q{i}\", \"API_TOKEN=t\"]\n    depends_on: [cache{}]\n",
                i + 2
            )),
            2 => {
                out.push_str(&format!(
                    "  db{i}:\n    image: postgres:16\n    environment: {{ POSTGRES_PASSWORD: pw, POSTGRES_DB: app{i} }}\n    volumes: [\"data{i}:/var/lib/postgresql/data\"]\n    healthcheck: {{ test: [\"CMD-SHELL\", \"pg_isready\"], interval: 5s, retries: 5 }}\n"
                ));
                volumes.push_str(&format!("  data{i}: {{}}\n"));
            }
            _ => out.push_str(&format!("  cache{i}:\n    image: redis:7\n    expose: [\"6379\"]\n")),
        }
    }
    if volumes.lines().count() > 1 {
        out.push_str(&volumes);
    }
    out
}

fn time_conversion(services: usize) -> (Duration, Duration, usize) {
    let input = ComposeInput {
        text: generated(services),
        ..Default::default()
    };
    let nodes = convert_compose(&input)
        .expect("generated file converts")
        .nodes
        .len();
    let runs = if services <= 20 { 400 } else { 100 };
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let _ = std::hint::black_box(convert_compose(std::hint::black_box(&input)));
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], times[runs * 95 / 100], nodes)
}

/// A tiny xorshift generator: the fuzz run is reproducible from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    ":",
    "- ",
    "\n",
    "  ",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "${",
    "$",
    "}",
    "&a",
    "*a",
    "<<: *a",
    "---",
    "-1",
    "99999",
    "0.5",
    "1e9",
    "~",
    "!!str ",
    "ports: ",
    "volumes: ",
    "/",
    "..",
    "tmpfs",
    ":ro",
    "CMD-SHELL",
    "extends: ",
    "kind: ",
    "apiVersion: v1",
    "\u{0}",
    "é",
    "#",
];

fn mutate(seed: &str, rng: &mut Rng) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(text.len() + 1);
        match rng.below(3) {
            0 if !text.is_empty() => {
                let end = (at + rng.below(20)).min(text.len());
                text.drain(at.min(end)..end);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                text.splice(at..at, token.chars());
            }
            _ => {
                let from = rng.below(text.len().max(1));
                let chunk: Vec<char> = text
                    .iter()
                    .skip(from)
                    .take(rng.below(60))
                    .copied()
                    .collect();
                text.splice(at.min(text.len())..at.min(text.len()), chunk);
            }
        }
    }
    text.into_iter().collect()
}

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = vec![generated(8)];
    for sub in ["compose", "snapshots"] {
        for entry in std::fs::read_dir(root.join(sub))
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            let file = if path.is_dir() {
                path.join("docker-compose.yml")
            } else {
                path
            };
            if let Ok(text) = std::fs::read_to_string(&file) {
                out.push(text);
            }
        }
    }
    out
}

fn fuzz(budget: Duration) -> (u64, u64) {
    let seeds = seeds();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = Instant::now();
    let (mut runs, mut accepted) = (0u64, 0u64);
    while start.elapsed() < budget {
        let text = mutate(&seeds[rng.below(seeds.len())], &mut rng);
        let files: BTreeMap<String, String> = BTreeMap::new();
        let input = ComposeInput {
            text: text.clone(),
            dotenv: "A=1\n".into(),
            files,
            profiles: vec!["search".into()],
            namespace: String::new(),
        };
        let outcome = std::panic::catch_unwind(|| {
            let compose = convert_compose(&input).is_ok();
            let kube = convert_kubernetes(&text, "default").is_ok();
            compose || kube
        });
        match outcome {
            Ok(ok) => accepted += u64::from(ok),
            Err(_) => {
                let path = std::env::temp_dir().join("import-fuzz-crash.yaml");
                let _ = std::fs::write(&path, &text);
                eprintln!("PANIC on input saved to {}", path.display());
                std::process::exit(1);
            }
        }
        runs += 1;
    }
    (runs, accepted)
}

fn main() {
    let fuzz_seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    println!("| Compose file | nodes | median | p95 | budget |");
    println!("| --- | ---: | ---: | ---: | --- |");
    for (services, budget) in [(20, "< 5 ms"), (100, "< 50 ms")] {
        let (median, p95, nodes) = time_conversion(services);
        println!("| {services} services | {nodes} | {median:.2?} | {p95:.2?} | {budget} |");
    }
    if fuzz_seconds > 0 {
        let (runs, accepted) = fuzz(Duration::from_secs(fuzz_seconds));
        println!();
        println!("Fuzz ({fuzz_seconds} s, mutated fixtures through both importers): {runs} inputs, {accepted} converted, 0 panics.");
    }
}
