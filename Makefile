# The two commands: `make run` and `make test`. Everything else is a convenience.
.PHONY: run test bench setup build e2e fmt lint clean

run: ## install what is missing, build, serve on http://127.0.0.1:3000
	@scripts/run.sh

test: ## everything: fmt, clippy (ssr + hydrate), unit + integration tests, end2end in Chromium
	@scripts/test.sh

bench: ## performance figures (see docs/benchmarks.md)
	@scripts/bench.sh

setup: ## only install what is missing (toolchain, wasm32 std, wasm-bindgen, npm packages, Chromium)
	@scripts/setup.sh --browser

build: ## build the site and the release server without starting it
	@scripts/setup.sh && scripts/build-site.sh --server-profile release

e2e: ## only the end-to-end suite (builds what it needs)
	@E2E_ONLY=1 scripts/test.sh

fmt: ## format the workspace
	@bash -c ". scripts/lib.sh && cargo fmt --all"

clean:
	rm -rf target
