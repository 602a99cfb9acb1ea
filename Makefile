# kith — thin wrapper around CMake, CTest and busted. `make help` lists the targets.

BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_FUZZ  ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
NVIM        ?= nvim

# make (the plugin managers' build step) builds and needs only the build dependencies, no root:
# scripts/deps check names what is missing. -Werror only in developer and CI builds (WERROR=ON,
# which make test and test-asan set), never in a user's build.
WERROR     ?= OFF
# The unit tests and fuzz replay drivers are built by make test and make test-asan (TESTS=ON),
# never by a user's make.
TESTS      ?= OFF
CMAKE_ARGS ?=

GRAMMAR = node_modules/@tree-sitter-grammars/tree-sitter-markdown/package.json

.PHONY: all help check-deps deps test-deps grammar build test test-unit test-functional test-asan test-debian13 test-debian-sid build-debian12 demo \
        fuzz fuzz-build fuzz-ci bench bench-large bench-keys bench-keys-debian13 screenshot screenshots format clean

all: build

help:
	@echo "make            build $(BUILD)/kith (needs only the build dependencies; no root)"
	@echo "make deps       as root on Debian/Ubuntu: install the build and test packages"
	@echo "make test       C unit tests (CTest) and functional tests (busted inside Neovim, driving a real Neovim)"
	@echo "make test-asan  the same suite built with AddressSanitizer + UBSan"
	@echo "make fuzz       each libFuzzer target for FUZZ_SECONDS (60), then the release replay"
	@echo "make test-debian13  make + make test as an ordinary user in a Debian 13 chroot (root)"
	@echo "make test-debian-sid  the same in a Debian unstable chroot (Neovim 0.12, tree-sitter 0.26)"
	@echo "make build-debian12 make as an ordinary user in a Debian 12 chroot with the build deps only"
	@echo "make demo       build, then open Neovim on examples/vault with kith"
	@echo "make bench      kith vs ledger-cli and hledger on a generated vault"
	@echo "make bench-large the same and the editor at 200k and 1M items: costs vs the vault's size"
	@echo "make screenshots doc/editor.png, doc/network.png, doc/report.png from the example vault"
	@echo "make bench-keys keystroke-to-screen latency in Neovim with and without kith"
	@echo "make bench-keys-debian13  the same on Debian 13 (Neovim 0.10) in a chroot (root)"

check-deps:
	@scripts/deps check

# Development and CI: installs what is missing of the build and test packages (as root, with
# apt-get; otherwise prints the command to run), then the pinned grammar.
deps:
	@scripts/deps install $(if $(DEPS_GROUP),$(DEPS_GROUP),dev)
	@$(MAKE) --no-print-directory grammar

# What make test and make demo need besides the build dependencies: Neovim and busted.
test-deps:
	@scripts/deps install test
	@$(MAKE) --no-print-directory grammar

grammar: $(GRAMMAR)

$(GRAMMAR): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || scripts/deps check
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

build: check-deps $(GRAMMAR)
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKITH_WERROR=$(WERROR) \
	  -DKITH_TESTS=$(TESTS) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)
	@$(NVIM) --headless -u NONE -i NONE -n -c 'silent! helptags doc' -c 'qa!' >/dev/null 2>&1 || true

# test and demo also need Neovim and busted: they install what is missing first (test-deps).
test: test-deps
	@$(MAKE) --no-print-directory build WERROR=ON TESTS=ON
	@$(MAKE) --no-print-directory test-unit test-functional

test-unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-functional:
	KITH_BIN=$(CURDIR)/$(BUILD)/kith KITH_NVIM=$(NVIM) bash tests/functional/run.sh

# Sanitizer reports of every kith process (also the hosts Neovim starts in the editor specs)
# go to $(BUILD_ASAN)/sanitizer/; any report fails the run.
SAN_LOGS = $(CURDIR)/$(BUILD_ASAN)/sanitizer
SAN_ENV  = ASAN_OPTIONS=detect_leaks=1:log_path=$(SAN_LOGS)/asan \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan

test-asan: test-deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DKITH_SANITIZE=ON -DKITH_WERROR=ON \
	  -DKITH_TESTS=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	cd $(BUILD_ASAN) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)
	$(SAN_ENV) KITH_BIN=$(CURDIR)/$(BUILD_ASAN)/kith KITH_NVIM=$(NVIM) bash tests/functional/run.sh
	@if [ -n "$$(ls -A $(SAN_LOGS))" ]; then cat $(SAN_LOGS)/*; echo "sanitizers: reports above"; exit 1; fi
	@echo "sanitizers: no reports"

# Debian in a chroot cached under ${XDG_CACHE_HOME:-~/.cache}/kith/; needs root. test-debian13:
# make and make test as an ordinary user on Debian 13 (Neovim 0.10); build-debian12: make alone,
# as an ordinary user, on a Debian 12 with the build dependencies only.
test-debian13:
	bash tests/debian/run.sh trixie test

# The same on Debian unstable: Neovim 0.12, tree-sitter 0.26, msgpack-c 7 (what Arch and Homebrew
# users build against).
test-debian-sid:
	bash tests/debian/run.sh sid test

build-debian12:
	bash tests/debian/run.sh bookworm build

# libFuzzer targets (tests/fuzz/README.md), built with clang (make deps installs it) in
# $(BUILD_FUZZ); their corpora grow in $(BUILD_FUZZ)/corpus/. Any finding fails.
fuzz-build:
	@$(MAKE) --no-print-directory deps
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DKITH_FUZZ=ON -DKITH_WERROR=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_rpc fuzz_note fuzz_mirror fuzz_frontmatter \
	  fuzz_settings

fuzz: fuzz-build
	@$(MAKE) --no-print-directory build WERROR=ON TESTS=ON
	BUILD_FUZZ=$(BUILD_FUZZ) BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

# What .ci/run calls: 60 s per target, whatever FUZZ_SECONDS says.
fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60

# Opens the example vault (its notes are dated around 2026-11-26, so today is pinned).
demo: test-deps
	@$(MAKE) --no-print-directory build
	$(NVIM) --clean --cmd 'set rtp^=$(CURDIR)' --cmd "let g:kith = {'today': '2026-11-26'}" \
	  -c 'cd examples/vault' examples/vault/people/acme.md

bench: build
	@$(MAKE) --no-print-directory deps DEPS_GROUP=bench
	KITH=$(CURDIR)/$(BUILD)/kith bash bench/run.sh

# 200k and 1M items (bench/README.md, "Large vaults"); variables SMALL, LARGE, ROUNDS, EDITS go to
# bench/large.sh. The vaults are kept in bench/out/large-<N>/.
bench-large: build
	@$(MAKE) --no-print-directory deps DEPS_GROUP=bench
	KITH=$(CURDIR)/$(BUILD)/kith bash bench/large.sh

# The README's pictures (scripts/screenshots.sh): Neovim on the example vault (doc/editor.png,
# tmux + aha + Chromium), the network (doc/network.png) and the HTML report (doc/report.png).
screenshots: build
	bash scripts/screenshots.sh
screenshot: screenshots

# Keystroke-to-screen latency with and without kith (bench/README.md, "Keystrokes"); variables
# ROUNDS, PACE, COUNT, DIAGNOSTICS, SYNTAX go to bench/keys.sh.
bench-keys: build
	NVIM=$(NVIM) KITH=$(CURDIR)/$(BUILD)/kith BUILD=$(BUILD) bash bench/keys.sh

bench-keys-debian13:
	bash tests/debian/run.sh trixie bench-keys

format:
	clang-format -i src/*.[ch] src/*/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch]

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
