# phaen — plain Makefile. Targets: all, test, browser, run, bench, fuzz, clean.
# Libraries come from Debian packages through pkg-config; scripts/deps.sh
# installs what is missing (run by `make test` and `make run`).

CC      ?= cc
# build/phaen links CORE_PKGS (and mimalloc) only; build/phaen-ext.so, which it loads for
# PDF, XLSX, the web server and mail (src/ext.h), links the rest.
CORE_PKGS := sqlite3 libthai jansson libsodium
PKGS    := $(CORE_PKGS) pangocairo cairo xlsxwriter libzip expat libmicrohttpd libcurl zlib
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# mimalloc (Debian libmimalloc-dev, no pkg-config file) first: it replaces
# malloc for the whole program, the shared object's libraries included.
# SQLite, libthai (with libdatrie), jansson and libsodium are linked in
# statically: each shared object fewer to load and bind is 0.3-1 ms of every
# start (a small import takes under 20). The program exports them
# (-rdynamic), so the shared object must not link its own copies: two
# SQLites in one process break each other's POSIX locks, two janssons hash
# objects with different seeds. EXT_LIBS leaves them out (Pango brings
# libthai.so along; its calls bind to the program's copy). `make` again
# after a security update of libsqlite3-dev, libjansson-dev or libsodium-dev.
STATIC_LIBS := -lsqlite3 -lthai -ldatrie -ljansson -lsodium
# whole: the shared object calls functions of them that the program does not
CORE_LIBS  := -lmimalloc -Wl,-Bstatic -lsqlite3 -lthai -ldatrie \
              -Wl,--whole-archive -ljansson -lsodium -Wl,--no-whole-archive -Wl,-Bdynamic
EXT_LIBS   := $(filter-out $(STATIC_LIBS),$(PKG_LIBS))
# libdatrie's readers go to src/datrie_io.c (one fread per 4 bytes
# of libthai's dictionary was a third of loading it)
DATRIE_WRAP := -Wl,--wrap=file_read_int32,--wrap=file_read_int16,--wrap=file_read_chars
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(PKG_CFLAGS)
LDFLAGS += -Wl,--as-needed -Wl,-O1 -Wl,--hash-style=gnu
LDLIBS  += $(PKG_LIBS) -lm

SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# Every module in src/ except main.c goes into the library the tests link.
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=build/obj/%.o)
# the modules that need Pango/Cairo, libxlsxwriter, libzip/expat,
# libmicrohttpd or libcurl, and those that only they call
EXT_MOD := render_chart render_diff render_memo render_plan export_xlsx export_diff_xlsx \
           import_xlsx http html html_plan web web_admin web_api web_import web_life \
           web_public mail publish xlsx_sheet ext_table gzip page_cache
EXT_OBJ := $(EXT_MOD:%=build/obj/%.o)
CORE_OBJ := $(filter-out $(EXT_OBJ),$(LIB_OBJ))
# the image of a new database (src/db_image.h): build/mkdbimage, linked
# without it, runs the migrations once and writes it; db_image.o embeds it
IMAGE_OBJ := build/obj/db_image.o
SAN_OBJ := $(LIB_SRC:src/%.c=build/san/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 10

.SECONDARY:

.PHONY: all deps test unit e2e browser fuzz fuzz-smoke run bench clean

all: build/phaen build/phaen-ext.so

deps:
	@sh scripts/deps.sh

build/obj/%.o: src/%.c $(wildcard src/*.h) | build/obj
	$(CC) $(CFLAGS) -fPIC -c -o $@ $<

build/san/%.o: src/%.c $(wildcard src/*.h) | build/san
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

# -rdynamic: the shared object calls back into the program's modules.
build/phaen: build/obj/main.o $(CORE_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -rdynamic $(DATRIE_WRAP) -o $@ $^ $(CORE_LIBS) -lm

build/mkdbimage: tools/mkdbimage.c $(filter-out $(IMAGE_OBJ),$(CORE_OBJ))
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(CORE_LIBS) -lm

build/dbimage.bin: build/mkdbimage
	./build/mkdbimage build/dbimage-scratch.db $@.tmp && mv $@.tmp $@

build/obj/db_image.o build/san/db_image.o build/fz/db_image.o: build/dbimage.bin

build/phaen-ext.so: $(EXT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $^ $(EXT_LIBS) -lm
	@if readelf -d $@ | grep -Eq 'NEEDED.*lib(sqlite3|jansson|sodium)'; then \
	    echo "$@ links SQLite, jansson or libsodium itself: build/phaen has them (see CORE_LIBS)" >&2; \
	    rm -f $@; exit 1; fi

build/tests/%: tests/unit/%.c $(SAN_OBJ) tests/unit/testutil.h | build/tests
	$(CC) $(CFLAGS) $(SAN) -Isrc -o $@ $< $(SAN_OBJ) $(LDLIBS) $(TEST_LIBS)

# the library once with coverage and sanitizers, then each harness links it
FUZZ_OBJ := $(LIB_SRC:src/%.c=build/fz/%.o)
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g $(PKG_CFLAGS)
build/fz/%.o: src/%.c $(wildcard src/*.h) | build/fz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/%: fuzz/%.c $(FUZZ_OBJ) | build/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -Isrc -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

build/obj build/san build/tests build/fuzz build/fz:
	@mkdir -p $@

# `make test`: install what is missing, build, run unit tests (under ASan and
# UBSan), the end-to-end tests against build/phaen, and each fuzzer briefly.
test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit e2e fuzz-smoke browser

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

e2e: build/phaen build/phaen-ext.so
	@sh tests/run-e2e.sh

# The browser test: headless Chromium (Debian's) through playwright-core
# (tests/browser/package-lock.json); screenshots in build/screenshots/.
browser: build/phaen build/phaen-ext.so
	@sh tests/browser/run.sh

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p build/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=build/fuzz/$$n- \
	        build/corpus/$$n fuzz/corpus/$$n \
	        2>build/fuzz/$$n.log || { tail -40 build/fuzz/$$n.log; exit 1; }; \
	    tail -1 build/fuzz/$$n.log; done

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=5

run: deps
	@$(MAKE) --no-print-directory all
	./build/phaen --db phaen.db demo --serve

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh
	@sh bench/render.sh
	@sh bench/web.sh

clean:
	rm -rf build

# embedded data files (see src/embed.c)
build/obj/embed.o build/san/embed.o build/fz/embed.o: $(wildcard data/reference/*.csv) $(wildcard data/templates/*) $(wildcard data/web/*)
