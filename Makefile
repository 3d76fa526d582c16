# Swift Concurrency Lab. `make run` shows the crawlers; `make test` runs every test twice:
# once as built, once under ThreadSanitizer (in its own build folder, so neither pass rebuilds the other).
SWIFT ?= swift
TSAN_SCRATCH ?= .build-tsan
RUN := .build/debug
REL := .build/release

.PHONY: help build run test test-plain test-tsan bench clean

help:
	@echo "make run     build, then the crawlers side by side, then the vote-counting programs compared"
	@echo "make test    all tests, then all tests again under ThreadSanitizer (race checks)"
	@echo "make bench   release build, then the benchmark figures (see docs/crawler.md)"
	@echo "make clean   remove the build folders"

build:
	$(SWIFT) build

run: build
	@$(RUN)/crawl
	@echo
	@$(RUN)/crawl --web generated --pages 300 --latency 10ms
	@echo
	@$(RUN)/vote --compare --elections 10

test: test-plain test-tsan

test-plain:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-tsan:
	$(SWIFT) build --build-tests --scratch-path $(TSAN_SCRATCH) --sanitize=thread
	$(SWIFT) test --skip-build --scratch-path $(TSAN_SCRATCH) --sanitize=thread

bench:
	$(SWIFT) build -c release
	@echo "== 10,000 pages, fanout 4, 50 ms per fetch: wall time over the critical-path limit"
	@$(REL)/crawl --web generated --pages 10000 --fanout 4 --latency 50ms --variants mutex,channel,actor,group
	@echo
	@echo "== 100,000 pages, fanout 4, no latency: fetches per second and peak memory"
	@$(REL)/crawl --web generated --pages 100000 --fanout 4 --latency 0
	@echo
	@echo "== vote-counting programs: 50 elections each, the same seeds for every variant"
	@$(REL)/vote --compare --elections 50
	@echo
	@echo "== kv server on loopback: 8 clients, one connection each, Put/Get alternating over 100 keys each"
	@$(REL)/rpc-bench --clients 8 --ops 20000 --clients-on threads
	@$(REL)/rpc-bench --clients 8 --ops 20000 --clients-on tasks
	@if command -v go >/dev/null; then cd Tests/GoPeers && go run . bench; \
	 else echo "(Go is not installed: apt-get install golang-go to measure Go's net/rpc/jsonrpc in the same run)"; fi

clean:
	rm -rf .build $(TSAN_SCRATCH)
