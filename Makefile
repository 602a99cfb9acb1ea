# kith — thin wrapper around CMake, CTest and busted. `make help` lists the targets.

BUILD       ?= build
BUILD_ASAN  ?= build-asan
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
NVIM        ?= nvim
BUSTED      ?= busted

# Debian 12 packages kith needs to build and test (make deps installs them as root).
DEBIAN_PACKAGES = build-essential cmake pkg-config libuv1-dev libmsgpack-dev \
                  libtree-sitter-dev libmimalloc-dev neovim lua-busted lua-nvim lua-cjson
# npm comes with Debian's nodejs + npm packages, unless a Node.js with npm is already there.
NPM_PACKAGES    = $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
BENCH_PACKAGES  = ledger hledger time python3

GRAMMAR = node_modules/@tree-sitter-grammars/tree-sitter-markdown/package.json

.PHONY: all help deps build test test-unit test-functional test-asan test-debian13 demo bench format clean

all: build

help:
	@echo "make            build $(BUILD)/kith (checks dependencies first)"
	@echo "make deps       install the Debian packages and the pinned grammar"
	@echo "make test       C unit tests (CTest) and functional tests (busted)"
	@echo "make test-asan  the same suite built with AddressSanitizer + UBSan"
	@echo "make test-debian13  make + make test as an ordinary user in a Debian 13 chroot (root)"
	@echo "make demo       build, then open Neovim on examples/vault with kith"
	@echo "make bench      kith vs ledger-cli and hledger on a generated vault"

# Installs what is missing: as root with apt-get, otherwise prints the command to run.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES) $(NPM_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "kith: installing$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || exit 1; \
	  else \
	    echo "kith: missing Debian packages; run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
	@$(MAKE) --no-print-directory $(GRAMMAR)

$(GRAMMAR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	@$(NVIM) --headless -u NONE -i NONE -n -c 'silent! helptags doc' -c 'qa!' >/dev/null 2>&1 || true

test: build
	@$(MAKE) --no-print-directory test-unit test-functional

test-unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-functional:
	KITH_BIN=$(CURDIR)/$(BUILD)/kith BUSTED=$(BUSTED) bash tests/functional/run.sh

# Sanitizer reports of every kith process (also the hosts Neovim starts in the editor specs)
# go to $(BUILD_ASAN)/sanitizer/; any report fails the run.
SAN_LOGS = $(CURDIR)/$(BUILD_ASAN)/sanitizer
SAN_ENV  = ASAN_OPTIONS=detect_leaks=1:log_path=$(SAN_LOGS)/asan \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan

test-asan: | deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DKITH_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	cd $(BUILD_ASAN) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)
	$(SAN_ENV) KITH_BIN=$(CURDIR)/$(BUILD_ASAN)/kith BUSTED=$(BUSTED) bash tests/functional/run.sh
	@if [ -n "$$(ls -A $(SAN_LOGS))" ]; then cat $(SAN_LOGS)/*; echo "sanitizers: reports above"; exit 1; fi
	@echo "sanitizers: no reports"

# Debian 13 (Neovim 0.10) in a chroot cached under ${XDG_CACHE_HOME:-~/.cache}/kith/; needs root.
test-debian13:
	bash tests/debian13/run.sh

# Opens the example vault (its notes are dated around 2026-11-26, so today is pinned).
demo: build
	$(NVIM) --clean --cmd 'set rtp^=$(CURDIR)' --cmd "let g:kith = {'today': '2026-11-26'}" \
	  -c 'cd examples/vault' examples/vault/people/acme.md

bench: build
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(BENCH_PACKAGES)"
	KITH=$(CURDIR)/$(BUILD)/kith bash bench/run.sh

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
