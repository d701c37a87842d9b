# A thin wrapper over CMake for people's habits. Everything builds into build/.
#
#   make            build npuctl, npud and the tests into build/
#   make demo       install what is missing, build, run npuctl against the simulated NPU
#   make test       install what is missing, build, run the whole suite (CTest)
#   make sanitize   the suite under AddressSanitizer + UBSan (leak detection on), in build-asan/
#   make tsan       the suite under ThreadSanitizer, in build-tsan/
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS (default 60)
#   make format / format-check
#   make lint       cited documents exist (scripts/check-citations.py), the layers' include
#                   rules (scripts/check-layers.sh), clang-tidy and cppcheck over src/ and
#                   tools/ (scripts/lint.sh), in build-lint/
#   make install    npuctl, npud, npu-vfio-user, libnpu.so with its header and pkg-config file, the man
#                   pages, the systemd unit, under PREFIX (/usr/local), staged under DESTDIR
#                   when given; built without the tests (in build-install/), so it needs
#                   neither cmocka nor Python
#   make vm-test    Linux's intel_vpu in QEMU against the virtual NPU, build/npu-vfio-user
#                   (root; downloads from Debian's archive once into VM_CACHE; docs/vm-test.md)
#
# Variables: FUZZ_SECONDS, TEST_FUZZ_SECONDS (fuzzing inside `make test`, 10),
# JOBS (parallel build jobs), WERROR (ON), PREFIX, DESTDIR, BUILD (the build
# folder make install builds and installs from, build-install; a new one is
# configured with BUILD_TESTING=OFF), VM_CACHE (/var/cache/npud-vm),
# VM_GENS (37xx 40xx), VM_SCHED (os), VM_KERNEL (trixie), VM_BUILD (the build
# folder whose npu-vfio-user serves the guest, build; e.g. build-asan).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
WERROR ?= ON
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 10
CMAKE ?= cmake
CTEST ?= ctest
CLANG := $(shell command -v clang 2>/dev/null)
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build-install
VM_CACHE ?= /var/cache/npud-vm
VM_GENS ?= 37xx 40xx
VM_SCHED ?= os
VM_KERNEL ?= trixie
VM_BUILD ?= build

SOURCES := $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src include tools tests bench -name '*.[ch]')

.PHONY: all build deps demo test unit sanitize tsan fuzz format format-check lint clean install \
	vm-test

all: build

build:
	$(CMAKE) -S . -B build -DNPU_WERROR=$(WERROR) >/dev/null
	$(CMAKE) --build build -j $(JOBS)

deps:
	scripts/install-deps.sh

# An existing build folder keeps its options; only the prefix (for libnpu.pc
# and the systemd unit) is set. Only what is installed is built, never a test.
install:
	@test -f $(BUILD)/CMakeCache.txt || $(CMAKE) -S . -B $(BUILD) -DNPU_WERROR=$(WERROR) \
		-DBUILD_TESTING=OFF >/dev/null
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	$(CMAKE) --build $(BUILD) -j $(JOBS) --target npuctl npud npu npu-vfio-user
	DESTDIR=$(DESTDIR) $(CMAKE) --install $(BUILD)

demo: deps build
	scripts/demo.sh build

# The whole suite: unit, CLI and corpus-replay tests, then (with clang) every
# fuzz target for TEST_FUZZ_SECONDS under libFuzzer.
test: deps build
	cd build && $(CTEST) --output-on-failure -j $(JOBS)
ifneq ($(CLANG),)
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)
else
	@echo "make test: clang not found: fuzz targets ran as corpus replays only"
endif

unit: build
	cd build && $(CTEST) --output-on-failure -j $(JOBS)

# Debian's kernel and intel_vpu in QEMU against the virtual NPU (scripts/vm/run.sh).
vm-test: build
	scripts/vm/run.sh --build $(VM_BUILD) --cache $(VM_CACHE) --sched $(VM_SCHED) --kernel $(VM_KERNEL) \
		$(foreach g,$(VM_GENS),--gen $(g))

sanitize: deps
	$(CMAKE) -S . -B build-asan -DNPU_SANITIZE=ON -DNPU_WERROR=$(WERROR) >/dev/null
	$(CMAKE) --build build-asan -j $(JOBS)
	cd build-asan && $(CTEST) --output-on-failure -j $(JOBS)

tsan: deps
	$(CMAKE) -S . -B build-tsan -DNPU_TSAN=ON -DNPU_WERROR=$(WERROR) >/dev/null
	$(CMAKE) --build build-tsan -j $(JOBS)
	cd build-tsan && $(CTEST) --output-on-failure -j $(JOBS)

fuzz:
	CC=clang $(CMAKE) -S . -B build-fuzz -DNPU_FUZZ=ON -DBUILD_TESTING=OFF \
		-DNPU_FUZZ_SECONDS=$(FUZZ_SECONDS) -DNPU_WERROR=$(WERROR) >/dev/null
	$(CMAKE) --build build-fuzz -j $(JOBS)
	cd build-fuzz && $(CTEST) --output-on-failure -L fuzz

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run -Werror $(SOURCES) && echo "format-check: $(words $(SOURCES)) files formatted"

# Static analysis: .clang-tidy and cppcheck (.cppcheck-suppressions); any finding fails.
lint:
	@JOBS=$(JOBS) scripts/lint.sh build-lint

clean:
	rm -rf build build-asan build-fuzz build-tsan build-lint build-install
