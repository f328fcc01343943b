# SPDX-License-Identifier: MIT
# Mailroom: `make run` builds and launches the app, `make test` builds and runs every test.
# Both install the Debian packages that are missing first (tools/bootstrap.sh).

PRESET ?= dev
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test asan tsan bench bench-quick format format-check lint clean

all: build

deps:
	@bash tools/bootstrap.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	./$(BUILD_DIR)/bin/mailroom

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake --preset asan >/dev/null && cmake --build --preset asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -L core

# ThreadSanitizer runs the core suites that use threads (label `logic` marks the ones that
# do not: tests/core/CMakeLists.txt).
tsan: deps
	cmake --preset tsan >/dev/null && cmake --build --preset tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
		ctest --output-on-failure -j $(JOBS) -L core -LE logic

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format-14 -i

# The style of .clang-format, checked without touching a file.
format-check:
	@MAILROOM_BOOTSTRAP_EXTRA="clang-format-14" bash tools/bootstrap.sh
	git ls-files '*.cpp' '*.h' | xargs clang-format-14 --dry-run -Werror

# clang-tidy 14 with .clang-tidy's checks over core/, through the build's compile_commands.json
# (configure writes it). -Wno-unknown-warning-option: clang does not know some of gcc's flags.
lint: configure
	@MAILROOM_BOOTSTRAP_EXTRA="clang-tidy-14" bash tools/bootstrap.sh
	git ls-files 'core/*.cpp' | xargs -P $(JOBS) -n 4 clang-tidy-14 -p $(BUILD_DIR) --quiet \
		--extra-arg=-Wno-unknown-warning-option

clean:
	rm -rf build build-release build-asan build-tsan

# Benchmarks beside the BEAM and CAF (docs/performance.md): builds the release preset,
# runs every peer that is installed (bench installs CAF's libcaf-dev; the BEAM comes with
# elixir), prints one table and writes build/bench/results.json. bench-quick is the same
# at tiny sizes, in seconds, with what is installed (CI runs it).
bench: deps
	@MAILROOM_BOOTSTRAP_EXTRA="libcaf-dev" bash tools/bootstrap.sh
	@bash bench/run

bench-quick: deps
	@bash bench/run --quick

# Fuzzing (docs/reliability.md): builds the libFuzzer targets with Debian's clang in
# build-fuzz/ and runs each for FUZZ_SECONDS (default 60); fuzz-smoke runs each for a few
# seconds (CI). Reproducers land in build-fuzz/fuzz/crashes/; copy them to
# tests/reliability/crashers/ as regression inputs.
.PHONY: fuzz fuzz-smoke
FUZZ_SECONDS ?= 60

fuzz: deps
	@MAILROOM_BOOTSTRAP_EXTRA="clang-16 libclang-rt-16-dev" bash tools/bootstrap.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh

fuzz-smoke: deps
	@MAILROOM_BOOTSTRAP_EXTRA="clang-16 libclang-rt-16-dev" bash tools/bootstrap.sh
	FUZZ_SECONDS=5 FUZZ_MAX_LEN=2048 bash fuzz/run.sh
