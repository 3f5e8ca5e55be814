# Thin wrapper over CMake: make run | test | bench | package | deps (see README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages needed to build, test and benchmark Runlens.
DEB_PACKAGES := cmake g++ make pkg-config file dpkg-dev \
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev \
  libeigen3-dev libsqlite3-dev libsimdjson-dev libyaml-cpp-dev \
  fonts-dejavu-core xvfb xauth \
  python3 python3-pandas python3-sklearn python3-statsmodels

# Extra packages for `make fuzz`: clang 14 and its libFuzzer/sanitizer runtimes.
FUZZ_PACKAGES := clang libclang-rt-14-dev

.PHONY: all deps deps-fuzz deps-bench build run test bench limits package fuzz check-asan docs clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-fuzz:
	@missing=$$(for p in $(FUZZ_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

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
	@dpkg-query -W -f='$${Status}\n' python3-matplotlib 2>/dev/null | grep -q '^install ok installed$$' || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-matplotlib; }

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
