# clausewatch - plain make, pkg-config for every library.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
PKGS = libcurl libxml-2.0 libgit2 libesmtp-1.0 openssl jansson zlib libisal
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) mupdf)
# libunistring has no .pc file; it gives us NFC (see README, Dependencies).
# MuPDF comes as a static library only (see README, Dependencies).
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) $(shell pkg-config --libs --static mupdf) -lunistring -pthread
# what --version prints: the release, and the commit in a clone
VERSION := 0.9$(shell git rev-parse --short HEAD 2>/dev/null | sed 's/^/+g/')
CW_CFLAGS = -std=c11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE -pthread $(PKG_CFLAGS)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC = $(sort $(wildcard src/*.c))
LIBSRC = $(filter-out src/main.c,$(SRC))
HDR = $(wildcard src/*.h)
TESTS = $(basename $(notdir $(sort $(wildcard tests/test_*.c))))

OBJ = $(SRC:src/%.c=build/%.o)
LIBOBJ = $(LIBSRC:src/%.c=build/%.o)
AOBJ = $(SRC:src/%.c=build/asan/%.o)
ALIBOBJ = $(LIBSRC:src/%.c=build/asan/%.o)

all: clausewatch

clausewatch: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(LDLIBS)

build/main.o build/asan/main.o: CPPFLAGS += -DCW_VERSION='"$(VERSION)"'

build/%.o: src/%.c $(HDR)
	@mkdir -p build
	$(CC) $(CW_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c $(HDR)
	@mkdir -p build/asan
	$(CC) $(CW_CFLAGS) $(CPPFLAGS) -O1 -g $(SAN) -c -o $@ $<

build/asan/clausewatch: $(AOBJ)
	$(CC) $(SAN) -o $@ $(AOBJ) $(PKG_LIBS) $(LDLIBS)

build/asan/test_%: tests/test_%.c $(ALIBOBJ) $(wildcard tests/*.h)
	$(CC) $(CW_CFLAGS) -Isrc -O1 -g $(SAN) -o $@ $< $(ALIBOBJ) \
		$(PKG_LIBS) $(shell pkg-config --libs criterion) $(LDLIBS)

# Dependencies first, then a sub-make, so pkg-config sees what was installed.
deps:
	@sh contrib/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory fuzz-check

test: clausewatch build/asan/clausewatch $(TESTS:%=build/asan/%)
	@sh tests/run.sh $(TESTS)

demo: deps
	@$(MAKE) --no-print-directory clausewatch
	@sh contrib/demo.sh

# The demo's first message as a reader sees it (headless chromium, 420 px).
mail-shot: demo
	@sh contrib/mailshot.sh "$$(ls -1tr build/demo/store/outbox/new/*.eml | head -1)" \
		build/demo/mail.png

bench: clausewatch
	@sh bench/run.sh

bench-judge: clausewatch
	@sh bench/judge-accuracy.sh

valgrind: clausewatch $(TESTS:%=build/%)
	@sh tests/valgrind.sh $(TESTS)

build/test_%: tests/test_%.c $(LIBOBJ) $(wildcard tests/*.h)
	$(CC) $(CW_CFLAGS) -Isrc $(CFLAGS) -o $@ $< $(LIBOBJ) \
		$(PKG_LIBS) $(shell pkg-config --libs criterion) $(LDLIBS)

# libFuzzer (clang) targets in fuzz/: make fuzz runs each for FUZZ_SECONDS,
# one at a time, from its seed corpus fuzz/corpus/TARGET (pdf: PDFs made by
# tests/mkpdf.py); make check runs every input of the seed corpora once
# (fuzz/check.sh), so a crash reproducer added there stays a regression test.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = html css rules mail watchlist rawtext
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FOBJ = $(LIBSRC:src/%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: src/%.c $(HDR)
	@mkdir -p build/fuzz/obj
	clang $(CW_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c -o $@ $<

build/fuzz/%: fuzz/%.c $(FOBJ)
	clang $(CW_CFLAGS) -Isrc -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< \
		$(FOBJ) $(PKG_LIBS) $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/%) build/fuzz/pdf
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS) pdf

fuzz-%: build/fuzz/%
	@sh fuzz/run.sh $(FUZZ_SECONDS) $*

fuzz-check: $(FUZZ_TARGETS:%=build/fuzz/%)
	@sh fuzz/check.sh $(FUZZ_TARGETS)

install: clausewatch
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	cp -f clausewatch $(DESTDIR)$(BINDIR)/clausewatch
	chmod 755 $(DESTDIR)$(BINDIR)/clausewatch
	cp -f doc/clausewatch.1 $(DESTDIR)$(MANDIR)/man1/clausewatch.1
	cp -f doc/clausewatch.conf.5 $(DESTDIR)$(MANDIR)/man5/clausewatch.conf.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/clausewatch \
		$(DESTDIR)$(MANDIR)/man1/clausewatch.1 \
		$(DESTDIR)$(MANDIR)/man5/clausewatch.conf.5

clean:
	rm -rf build clausewatch

.PHONY: all deps check test demo mail-shot bench bench-judge valgrind fuzz fuzz-check install uninstall clean
.SECONDARY:
