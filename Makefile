# kouan — the two set-up commands are `make run` and `make test`.
# CMake does the building; this file only names the usual tasks.

MAKEFLAGS += --no-print-directory

JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
BUILD   ?= build
SANBUILD ?= build/san
FUZZBUILD ?= build/fuzz
WERROR  ?= ON
FUZZ_SECONDS ?= 60

.PHONY: all kouan deps run test bench fuzz clean format

all: kouan

# build/kouan alone; `make bench` builds the benchmarks too.
kouan:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DKOUAN_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target kouan_program

deps:
	@bash scripts/install-deps.sh

run: deps kouan
	@bash scripts/run.sh $(BUILD)/kouan

# Every test, under AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps
	@cmake -S . -B $(SANBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DKOUAN_SANITIZE=address,undefined -DKOUAN_WERROR=$(WERROR) >/dev/null
	@cmake --build $(SANBUILD) -j $(JOBS)
	@cd $(SANBUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: deps kouan
	@cmake --build $(BUILD) -j $(JOBS)
	@bash bench/run.sh $(BUILD)

# Replay each libFuzzer target over its seeds, then fuzz it FUZZ_SECONDS.
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZBUILD) -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKOUAN_FUZZ=ON -DKOUAN_WERROR=$(WERROR) >/dev/null
	@cmake --build $(FUZZBUILD) -j $(JOBS)
	@bash scripts/fuzz.sh $(FUZZBUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)
