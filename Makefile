# milecast — plain Makefile (C11). Targets: all test test-unit test-e2e
# test-asan bench demo install clean lint format deps.
# Build output goes under build/ (build/asan/ for the sanitizer build).

PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
BUILD    ?= build
PKGS     := libpcre2-8 inih jansson nettle libxxhash

OPT      ?= -O2 -g
SAN      ?=
CFLAGS   ?= $(OPT)
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CPPFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ipkg -pthread
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Debian's libcsv-dev ships no pkg-config file.
LDLIBS   += -lcsv $(PKG_LIBS) -lz -lm -pthread

ALL_CFLAGS = $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) $(SAN)

LIB_SRC  := $(wildcard pkg/*.c)
LIB_OBJ  := $(LIB_SRC:pkg/%.c=$(BUILD)/pkg/%.o)
CLI_SRC  := $(wildcard cmd/milecast/*.c)
CLI_OBJ  := $(CLI_SRC:cmd/milecast/%.c=$(BUILD)/cmd/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
LIB      := $(BUILD)/libmilecast.a
BIN      := $(BUILD)/milecast
UNIT     := $(BUILD)/unit-tests
TOOLS    := $(BUILD)/csvcount

.PHONY: all deps test test-unit test-e2e test-asan test-clang test-suite bench demo \
        install clean lint format

all: $(BIN)

deps:
	@scripts/install-deps.sh

$(BUILD)/pkg/%.o: pkg/%.c $(wildcard pkg/*.h) | $(BUILD)/pkg
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/cmd/%.o: cmd/milecast/%.c $(wildcard pkg/*.h cmd/milecast/*.h) | $(BUILD)/cmd
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/tests/%.o: tests/%.c $(wildcard pkg/*.h tests/*.h) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags criterion yaml-0.1 jansson 2>/dev/null) \
	  -DMC_SOURCE_DIR='"$(CURDIR)"' -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^
$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)
$(UNIT): $(TEST_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS) \
	  $(shell pkg-config --libs criterion yaml-0.1 jansson)
$(BUILD)/csvcount: scripts/csvcount.c | $(BUILD)
	$(CC) $(CPPFLAGS) $(WARN) -O2 -o $@ $< -lcsv

$(BUILD) $(BUILD)/pkg $(BUILD)/cmd $(BUILD)/tests:
	@mkdir -p $@

# The suite: Criterion unit tests, then the end-to-end CLI tests.
test-suite: $(BIN) $(UNIT)
	$(UNIT) --jobs 2
	MILECAST=$(CURDIR)/$(BIN) SHARED=$(CURDIR)/../shared tests/e2e/run.sh

test-unit: deps $(UNIT)
	$(UNIT) --jobs 2
test-e2e: deps $(BIN)
	MILECAST=$(CURDIR)/$(BIN) SHARED=$(CURDIR)/../shared tests/e2e/run.sh

# The same suite under AddressSanitizer + UBSan with leak detection.
test-asan: deps
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 test-suite

# The tree must also build with clang, warnings as errors (issue 13).
test-clang: deps
	$(MAKE) BUILD=build/clang CC=clang build/clang/milecast build/clang/unit-tests

test: deps
	$(MAKE) test-suite
	$(MAKE) test-clang
	$(MAKE) fuzz-smoke
	$(MAKE) test-asan

# Fuzz targets (issue 13; tests/fuzz/README.md): libFuzzer, ASan and UBSan,
# built with clang into build/fuzz/. fuzz: FUZZ_SECONDS per target over a copy
# of its corpus in build/fuzz/corpus-<target> (new inputs stay there);
# fuzz-smoke: FUZZ_SMOKE_SECONDS per target, replaying every checked-in seed.
.PHONY: fuzz fuzz-build fuzz-smoke
FUZZ_TARGETS       := reader values rules mapping chunks fastcsv
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_ENV  = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_ARGS = -max_len=65536 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/
fuzz-build: deps
	$(MAKE) BUILD=build/fuzz CC=clang OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all' \
	  $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h tests/fuzz/fuzz_dump.h tests/reader_dump.h $(LIB)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)
fuzz: fuzz-build
	@st=0; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t && cp tests/fuzz/corpus/$$t/* build/fuzz/corpus-$$t/ && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  $(FUZZ_ENV) nice build/fuzz/fuzz_$$t $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) \
	    build/fuzz/corpus-$$t || st=1; \
	done; exit $$st
fuzz-smoke: fuzz-build
	@st=0; for t in $(FUZZ_TARGETS); do \
	  rm -rf build/fuzz/smoke-$$t && mkdir -p build/fuzz/smoke-$$t && \
	  echo "fuzz-smoke: $$t for $(FUZZ_SMOKE_SECONDS) s" && \
	  $(FUZZ_ENV) nice build/fuzz/fuzz_$$t $(FUZZ_ARGS) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
	    build/fuzz/smoke-$$t tests/fuzz/corpus/$$t 2>build/fuzz/smoke-$$t.log || \
	  { st=1; tail -n 60 build/fuzz/smoke-$$t.log; echo "fuzz-smoke: $$t FAILED (log: build/fuzz/smoke-$$t.log)"; }; \
	done; exit $$st

bench: deps $(TOOLS)
	scripts/bench.sh

demo: deps $(BIN)
	@rm -rf milecast-out
	$(BIN) forecast --as-of 2026-11-23 --out milecast-out fixtures/sample/opportunities.csv; \
	  s=$$?; echo "milecast: outputs in $(CURDIR)/milecast-out/ (exit $$s)"; ls -l milecast-out; \
	  echo "Open milecast-out/forecast.csv first: one row per deal, its gate, probability and close date."; \
	  echo "The 3 rows of rejects.csv are deliberate: a EUR deal with no rate, a bad close date, a row without id."; \
	  exit $$s

# install / uninstall (issue 19): `make && sudo make install`, or for a
# package `make install PREFIX=/usr DESTDIR=$(CURDIR)/debian/tmp`. Every
# directory below can be given on the command line. With PREFIX=/usr the
# systemd units go to /lib/systemd/system, where Debian 12's packages put
# them; otherwise to $(PREFIX)/lib/systemd/system (systemd reads
# /usr/local/lib/systemd/system too). The binary installed is $(BIN), built
# first unless BIN is given on the command line: `make install
# BIN=build/asan/milecast` installs that file as it is and builds nothing.
# Stripping: the installed copy is stripped with $(STRIP) (the build tree
# keeps its symbols); `STRIP=` (empty) or DEB_BUILD_OPTIONS=nostrip
# installs it unstripped, for dh_strip's -dbgsym package or a sanitizer
# build. rules.example.ini is what the installed binary's `milecast rules`
# prints. The man pages and the service name /usr/local paths, rewritten
# here to the installation's. `make uninstall` with the same variables
# removes exactly these files (and share/milecast/ when it is empty).
BINDIR         ?= $(PREFIX)/bin
DATADIR        ?= $(PREFIX)/share
MANDIR         ?= $(DATADIR)/man
SYSTEMDUNITDIR ?= $(if $(filter /usr,$(PREFIX)),,$(PREFIX))/lib/systemd/system
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
BASHCOMPDIR    ?= $(DATADIR)/bash-completion/completions
INSTALL        ?= install
STRIP          ?= strip
ifneq (,$(filter nostrip,$(DEB_BUILD_OPTIONS)))
STRIP :=
endif
MC_FIXPATHS = sed -e 's|/usr/local/bin/|$(BINDIR)/|g' \
  -e 's|/usr/local/share/milecast|$(DATADIR)/milecast|g' \
  -e 's|/usr/local/lib/systemd/system|$(SYSTEMDUNITDIR)|g' \
  -e 's|/usr/local/lib/sysusers.d|$(SYSUSERSDIR)|g'
MC_INSTALLED = $(BINDIR)/milecast $(MANDIR)/man1/milecast.1.gz \
  $(MANDIR)/man5/milecast-rules.5.gz $(DATADIR)/milecast/rules.example.ini \
  $(SYSTEMDUNITDIR)/milecast.service $(SYSTEMDUNITDIR)/milecast.timer \
  $(SYSUSERSDIR)/milecast.conf $(BASHCOMPDIR)/milecast

.PHONY: uninstall
install: $(if $(filter command line,$(origin BIN)),,$(BIN))
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(DATADIR)/milecast $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	  $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/milecast
	$(if $(STRIP),$(STRIP) $(DESTDIR)$(BINDIR)/milecast)
	$(DESTDIR)$(BINDIR)/milecast rules > $(DESTDIR)$(DATADIR)/milecast/.rules.example.ini.tmp
	chmod 0644 $(DESTDIR)$(DATADIR)/milecast/.rules.example.ini.tmp
	mv -f $(DESTDIR)$(DATADIR)/milecast/.rules.example.ini.tmp $(DESTDIR)$(DATADIR)/milecast/rules.example.ini
	$(MC_FIXPATHS) man/milecast.1 | gzip -9n > $(DESTDIR)$(MANDIR)/man1/milecast.1.gz
	$(MC_FIXPATHS) man/milecast-rules.5 | gzip -9n > $(DESTDIR)$(MANDIR)/man5/milecast-rules.5.gz
	$(MC_FIXPATHS) packaging/milecast.service > $(DESTDIR)$(SYSTEMDUNITDIR)/milecast.service
	chmod 0644 $(DESTDIR)$(MANDIR)/man1/milecast.1.gz $(DESTDIR)$(MANDIR)/man5/milecast-rules.5.gz \
	  $(DESTDIR)$(SYSTEMDUNITDIR)/milecast.service
	$(INSTALL) -m 0644 packaging/milecast.timer $(DESTDIR)$(SYSTEMDUNITDIR)/milecast.timer
	$(INSTALL) -m 0644 packaging/milecast.sysusers $(DESTDIR)$(SYSUSERSDIR)/milecast.conf
	$(INSTALL) -m 0644 packaging/milecast.bash-completion $(DESTDIR)$(BASHCOMPDIR)/milecast

uninstall:
	rm -f $(addprefix $(DESTDIR),$(MC_INSTALLED))
	rmdir $(DESTDIR)$(DATADIR)/milecast 2>/dev/null || true

lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -Ipkg pkg cmd
	clang-tidy $(LIB_SRC) $(CLI_SRC) -- $(CPPFLAGS) $(PKG_CFLAGS)

format:
	clang-format -i pkg/*.c pkg/*.h cmd/milecast/*.c tests/*.c

clean:
	rm -rf build milecast-out
