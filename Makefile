# quorate: one non-recursive Makefile.
#
#   make            build build/quorate (installs missing Debian -dev packages first)
#   make demo       build, check the bundled designs, then compare them under the
#                   bundled assumptions (topologies/assumptions/default.yaml), and
#                   show latent faults on one design, unverified and verified
#   make test       every unit and CLI test, then all of them again under ASan+UBSan
#                   (first tries to install chromium for the HTML browser test)
#   make sanitize   only the ASan+UBSan part of `make test`
#   make fuzz       libFuzzer harness for the loader (clang); FUZZ_SECONDS=600
#   make bench      benchmarks of tests/bench (not part of `make test`)
#   make memcheck   the CLI under valgrind, every leak kind an error
#   make install    PREFIX=/usr/local (binary and man page)
#   make CC=clang   any target with clang; V=1 shows the commands
#   make MPI=0      build without Open MPI even when mpicc is there
#   make LTO=0      no link-time optimization (SIM_OPT=-O2: sim/ at -O2 as the rest)
#
# Sources are taken by directory: every .c below src/ and sim/ except
# src/cmd/main.c goes into build/libquorate.a, linked into the CLI and every test.

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
SAN     ?= 0
FUZZ_SECONDS ?= 600

ifeq ($(V),1)
Q :=
else
Q := @
endif

# pkg-config is asked lazily (and once) so that `make` on a fresh machine can
# install the packages first and still find their flags.
PKG_MODULES := yaml-0.1 igraph libedit
PKG_CFLAGS   = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_MODULES)))$(PKG_CFLAGS)
PKG_LIBS     = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKG_MODULES)))$(PKG_LIBS)
CMOCKA_CFLAGS = $(eval CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka))$(CMOCKA_CFLAGS)
CMOCKA_LIBS   = $(eval CMOCKA_LIBS := $(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
else
OPT     ?= -O2 -g
LDSAN   :=
endif
# Speed of the simulator: sim/ is built at SIM_OPT, and with gcc the CLI is
# linked with link-time optimization (LTO), which inlines the engine's small
# calls across files (the event queue, the timers, the behaviour modules'
# hooks). Objects carry both the LTO form and
# ordinary code (fat), so the tests link without LTO, as fast as before, and
# so does a toolchain whose ar cannot index LTO objects. LTO=0 turns it off;
# clang and sanitizer builds go without (clang's LTO needs its own ar and
# linker). Neither changes a result: no -ffast-math, no -march.
SIM_OPT ?= -O3
LTO     ?= auto
ifeq ($(SAN),1)
override SIM_OPT :=
override LTO := 0
endif
LTO_FLAGS = $(eval LTO_FLAGS := $(if $(filter 0,$(LTO)),,$(if $(shell $(CC) --version 2>/dev/null | grep -i clang),,-flto=auto -ffat-lto-objects)))$(LTO_FLAGS)
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -pthread $(INC_DIRS) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) $(MPI_LIBS) -lm -pthread $(LDLIBS)

# Open MPI (docs/mpi.md): used when mpicc is found (MPI=auto, the default),
# never with MPI=0. Only src/cmd/mpi_run.c sees MPI's headers; its flags
# come from `mpicc --showme` (asked lazily, after the packages are
# installed), with -isystem so that -Werror holds for our code only.
# Sanitizer builds (SAN=1) are built without MPI: Open MPI's own
# allocations at start-up and its shared-memory transport are not
# ASan-clean, and the MPI transport is tested without MPI too (test_split).
MPI ?= auto
ifeq ($(SAN),1)
override MPI := 0
endif
MPI_ON     = $(eval MPI_ON := $(if $(filter 0,$(MPI)),0,$(if $(shell command -v mpicc 2>/dev/null),1,0)))$(MPI_ON)
MPI_CFLAGS = $(eval MPI_CFLAGS := $(if $(filter 1,$(MPI_ON)),-DQR_HAVE_MPI=1 $(patsubst -I%,-isystem %,$(shell mpicc --showme:compile)),-DQR_HAVE_MPI=0))$(MPI_CFLAGS)
MPI_LIBS   = $(eval MPI_LIBS := $(if $(filter 1,$(MPI_ON)),$(shell mpicc --showme:link)))$(MPI_LIBS)
MPI_STAMP := $(BUILD)/.mpi-config

# Includes name their folder ("model/topology.h", "sim/engine.h"), from src/
# or the top level; tests/repo/layers.sh keeps them pointing down the layers.
INC_DIRS  := -Isrc -I.
LIB_SRCS  := $(filter-out src/cmd/main.c,$(shell find src sim -name '*.c' | LC_ALL=C sort))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
MAIN_OBJ  := $(BUILD)/src/cmd/main.o
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
LIB       := $(BUILD)/libquorate.a
BIN       := $(BUILD)/quorate

# Debian packages that provide what the build needs, as "pkg-config-name:package".
# The CLI tests also need a JSON parser: python3, or else jq is installed.
DEPS := yaml-0.1:libyaml-dev igraph:libigraph-dev cmocka:libcmocka-dev libedit:libedit-dev
DEPS_STAMP := build/.deps-ok
# Optional: Open MPI, as "command:package", installed like the others
# unless MPI=0; when it cannot be installed the build goes on without MPI.
MPI_DEPS := mpicc:libopenmpi-dev mpirun:openmpi-bin
# Soft test dependency: Debian's chromium, for the browser part of
# tests/cli/html.sh. When it cannot be installed, make test only warns and
# that part of the test is skipped.
TEST_DEPS_STAMP := build/.test-deps-ok

.PHONY: all deps test-deps demo test check-run sanitize fuzz bench memcheck install clean FORCE
.DEFAULT_GOAL := all

all: $(BIN)

# ---- dependencies: install the missing -dev packages with apt-get ----
deps: $(DEPS_STAMP)
$(DEPS_STAMP): Makefile
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	for d in $(DEPS); do \
	  mod=$${d%%:*}; pkg=$${d#*:}; \
	  pkg-config --exists $$mod 2>/dev/null || missing="$$missing $$pkg"; \
	done; \
	command -v $(firstword $(CC)) >/dev/null 2>&1 || missing="$$missing $(if $(findstring clang,$(CC)),clang,gcc)"; \
	python3 -c 'import json' >/dev/null 2>&1 || command -v jq >/dev/null 2>&1 || missing="$$missing jq"; \
	if [ -n "$$missing" ]; then \
	  echo "quorate: installing missing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; \
	  else echo "quorate: cannot install$$missing: not root and no sudo; install them and run make again" >&2; exit 1; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "quorate: cannot install$$missing: apt-get not found (Debian packages needed)" >&2; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing; } >build.deps.log 2>&1 \
	  || { echo "quorate: apt-get could not install:$$missing (see build.deps.log)" >&2; exit 1; }; \
	  rm -f build.deps.log; \
	  echo "quorate: installed$$missing"; \
	fi; \
	missing=""; \
	if [ "$(MPI)" != 0 ]; then \
	  for d in $(MPI_DEPS); do \
	    command -v $${d%%:*} >/dev/null 2>&1 || missing="$$missing $${d#*:}"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "quorate: installing Open MPI:$$missing (for mpirun; make MPI=0 to skip)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi; \
	  if [ "$$SUDO" != none ] && command -v apt-get >/dev/null 2>&1 && \
	     { export DEBIAN_FRONTEND=noninteractive; \
	       $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing; } >build.deps.log 2>&1; then \
	    rm -f build.deps.log; echo "quorate: installed$$missing"; \
	  else \
	    echo "quorate: warning: could not install$$missing (see build.deps.log); building without MPI" >&2; \
	  fi; \
	fi; \
	mkdir -p build && touch $@

# ---- soft test dependencies (never fail the build) ----
# Tools some CLI tests use to check quorate's output independently, as
# "command:package": chromium opens the --html pages (tests/cli/html.sh),
# scram recomputes the exported fault trees (tests/cli/export.sh), dot renders
# the dependency graph (tests/cli/analyze.sh). Missing ones are installed with
# apt-get; when that fails the build goes on and those tests skip that part.
TEST_TOOLS := chromium:chromium scram:scram dot:graphviz
test-deps: $(TEST_DEPS_STAMP)
$(TEST_DEPS_STAMP):
	@missing=""; \
	for d in $(TEST_TOOLS); do \
	  command -v $${d%%:*} >/dev/null 2>&1 || missing="$$missing $${d#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "quorate: installing test tools:$$missing (apt-get, log in build.test-deps.log)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; \
	  else SUDO="none"; fi; \
	  if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then \
	    echo "quorate: warning: cannot install$$missing (not root and no sudo, or no apt-get); the tests that use them skip that part" >&2; \
	  elif { export DEBIAN_FRONTEND=noninteractive; \
	         $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing; } >build.test-deps.log 2>&1; then \
	    rm -f build.test-deps.log; echo "quorate: installed$$missing"; \
	  else \
	    echo "quorate: warning: apt-get could not install$$missing (see build.test-deps.log); the tests that use them skip that part" >&2; \
	  fi; \
	fi; \
	mkdir -p build && touch $@

# ---- library, CLI, tests ----
$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(if $(filter sim/%,$<),$(SIM_OPT)) $(if $(findstring tests/,$<),$(CMOCKA_CFLAGS),$(LTO_FLAGS)) $(if $(findstring src/cmd/mpi_run.c,$<),$(MPI_CFLAGS)) -MMD -MP -c $< -o $@

# mpi_run.o is rebuilt when the MPI configuration changes (mpicc installed,
# MPI=0 given): the stamp holds it and is rewritten only when it differs.
$(BUILD)/src/cmd/mpi_run.o: $(MPI_STAMP)
$(MPI_STAMP): FORCE | $(DEPS_STAMP)
	@mkdir -p $(dir $@); v='$(MPI_CFLAGS)'; \
	[ -f $@ ] && [ "$$(cat $@)" = "$$v" ] || printf '%s\n' "$$v" >$@
FORCE:

$(LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(if $(LTO_FLAGS),$(OPT) $(LTO_FLAGS)) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(if $(LTO_FLAGS),-fno-lto) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS_ALL)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- the README's two commands ----
# The design comparison: 1000 runs x 10 years of each bundled design, every
# design under the one bundled assumptions file (docs/assumptions.md), take
# about 10 s on two cores (the whole demo stays well under 30 s).
DEMO_COMPARE := --runs 1000 --years 10 --seed 1 --assume topologies/assumptions/default.yaml
DEMO_CCF     := --runs 1000 --years 10 --seed 1
# Then one design with latent faults, unverified and verified (about 4 s).
DEMO_LATENT := --runs 1000 --years 10 --seed 1 --assume
demo: $(BIN)
	@echo "quorate: checking the bundled designs: $(BIN) check topologies/*.yaml topologies/dr/*.yaml"
	$(Q)$(BIN) check topologies/*.yaml topologies/dr/*.yaml
	@echo "quorate: the design comparison: $(BIN) compare $(DEMO_COMPARE) topologies/*.yaml topologies/dr/*.yaml"
	$(Q)$(BIN) compare $(DEMO_COMPARE) topologies/*.yaml topologies/dr/*.yaml
	@echo "quorate: common-cause failures: 5x-recommended under default.yaml, then under common-cause.yaml"
	@echo "  (a 5% beta on its front ends and on its SQL servers, docs/simulate.md), same seed:"
	$(Q)for a in default common-cause; do \
	  echo "  $(BIN) simulate $(DEMO_CCF) --assume topologies/assumptions/$$a.yaml topologies/5x-recommended.yaml"; \
	  $(BIN) simulate $(DEMO_CCF) --assume topologies/assumptions/$$a.yaml topologies/5x-recommended.yaml | \
	    awk '/^feature/ { t = 1 } t && /^$$/ { t = 0 } t { print "    " $$0 } \
	         /started by/ && !s { sub(/^ +/, ""); print "    signin_im " $$0 "\n"; s = 1 }' || exit 1; \
	done
	@echo "quorate: 5.x as virtual machines on hosts, without and with HA restart (M0.4, M0.5): $(BIN) compare $(DEMO_COMPARE) topologies/vms/*.yaml"
	$(Q)$(BIN) check topologies/vms/*.yaml
	$(Q)$(BIN) compare $(DEMO_COMPARE) topologies/vms/*.yaml
	@echo
	@echo "quorate: latent faults (M7.3): the 3.0 design under the bundled assumptions with latent faults,"
	@echo "without and with verification after each patch reboot (M7.5); presence and its downtime by cause:"
	$(Q)for f in latent-faults latent-faults-verified; do \
	  echo "  $(BIN) simulate $(DEMO_LATENT) topologies/assumptions/$$f.yaml topologies/3.0-three-servers.yaml"; \
	  $(BIN) simulate $(DEMO_LATENT) topologies/assumptions/$$f.yaml topologies/3.0-three-servers.yaml \
	    | awk '/^feature /||/^presence /{print "    " $$0} /^  presence /{p=1} /^  p2p_calls/{p=0} p{print "  " $$0}' \
	    || exit 1; \
	done

# Every test binary and the CLI tests, then the same under ASan+UBSan.
test: check-run
	$(Q)$(MAKE) --no-print-directory sanitize

check-run: $(BIN) $(TEST_BINS) | $(TEST_DEPS_STAMP)
	$(Q)tests/run_tests.sh $(BUILD)

sanitize:
	$(Q)$(MAKE) --no-print-directory BUILD=build/san SAN=1 check-run

# ---- fuzzing (clang + libFuzzer) ----
FUZZ_DIR := build/fuzz
fuzz: $(DEPS_STAMP)
	$(Q)command -v clang >/dev/null 2>&1 || { echo "quorate: make fuzz needs clang (apt-get install clang libclang-rt-dev)" >&2; exit 2; }
	$(Q)mkdir -p $(FUZZ_DIR)/corpus
	$(Q)clang $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(INC_DIRS) $(PKG_CFLAGS) \
	  tests/fuzz/fuzz_loader.c $(LIB_SRCS) -o $(FUZZ_DIR)/fuzz_loader $(PKG_LIBS) -lm -pthread
	$(Q)cp topologies/*.yaml tests/bad/*.yaml tests/fuzz/corpus/* $(FUZZ_DIR)/corpus/ 2>/dev/null || true
	$(FUZZ_DIR)/fuzz_loader -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=5 \
	  -dict=tests/fuzz/loader.dict -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus

# ---- benchmarks (not part of make test) ----
bench: $(BIN)
	$(Q)tests/bench/run.sh $(BUILD)

# ---- valgrind on the CLI (not part of make test) ----
memcheck: $(BIN)
	$(Q)tests/memcheck.sh $(BIN)

# ---- install ----
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/quorate
	@if [ -f docs/quorate.1 ]; then \
	  install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
	  install -m 644 docs/quorate.1 $(DESTDIR)$(PREFIX)/share/man/man1/quorate.1; fi

clean:
	rm -rf build
