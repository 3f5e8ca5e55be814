# Thin wrapper over CMake: make run | test | bench | package | deps (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages needed to build, test and benchmark Runlens (chromium: the report test opens the
# HTML report in a real browser).
DEB_PACKAGES := cmake g++ make pkg-config file dpkg-dev \
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev \
  libeigen3-dev libsqlite3-dev libsimdjson-dev libyaml-cpp-dev libfast-float-dev \
  fonts-dejavu-core xvfb xauth \
  python3 python3-pandas python3-sklearn python3-statsmodels python3-optuna \
  chromium

# Extra packages for `make fuzz`: clang 14 and its libFuzzer/sanitizer runtimes.
FUZZ_PACKAGES := clang libclang-rt-14-dev

.PHONY: all deps deps-fuzz deps-bench build run test bench limits package fuzz check-asan check-format \
  check-fresh docs clean

all: build

# $(call install-missing,PACKAGES): no apt at all when every package is installed; otherwise one
# `apt-get update` and an install, then a check that names any package still missing.
define install-missing
	@installed() { dpkg-query -W -f='$${Status}\n' "$$1" 2>/dev/null | grep -q '^install ok installed$$'; }; \
	missing=$$(for p in $(1); do installed $$p || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  still=$$(for p in $$missing; do installed $$p || echo $$p; done); \
	  if [ -n "$$still" ]; then echo "make deps: still not installed:" $$still >&2; exit 1; fi; \
	fi
endef

deps:
	$(call install-missing,$(DEB_PACKAGES))

deps-fuzz:
	$(call install-missing,$(FUZZ_PACKAGES))

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/runlens $(ARGS)

test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

bench: build deps-bench
	bash bench/run_benchmarks.sh $(BUILD)

# matplotlib for the redraw benchmark's reference (what a notebook user draws with).
deps-bench:
	$(call install-missing,python3-matplotlib)

# clang-format of every C++ file changed since the whole-tree format commit (CI runs it).
check-format:
	$(call install-missing,clang-format git)
	bash .ci/check-format.sh

# The CI proof on this machine: `make test` in a fresh minimal Debian 12 root (debootstrap, as root), a
# second `make deps` there without network, and the .deb installed on another fresh root. 20-30 minutes.
check-fresh:
	$(call install-missing,debootstrap git)
	$(SUDO) bash .ci/fresh-root.sh -- make test CMAKE_FLAGS="-DRUNLENS_WERROR=ON -DRUNLENS_BUILD_BENCH=OFF"

# Big-input limits (5 GB CSV, 10M x 100 prediction log, 50,000 runs): 20-40 minutes, up to 16 GB of scratch disk.
limits: build
	bash bench/limits.sh $(BUILD)

package: build
	cd $(BUILD) && cpack -G DEB

fuzz: deps deps-fuzz
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DRUNLENS_FUZZ=ON -DRUNLENS_BUILD_GUI=OFF -DRUNLENS_BUILD_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS)
	bash tests/fuzz/run_fuzzers.sh build-fuzz $(FUZZ_SECONDS)

check-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRUNLENS_ASAN=ON -DRUNLENS_BUILD_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

docs: build
	bash docs/make_screenshots.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz build-asan
