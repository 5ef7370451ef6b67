/* diff: tokens, a bounded Myers diff, word redlines and clause alignment.
 * Everything here is linear in memory: no matrix over two documents. */
#ifndef CW_DIFF_H
#define CW_DIFF_H
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

/* Words for Latin scripts, one token per character for CJK, one per
 * punctuation mark; whitespace separates tokens and is not a token. */
enum diff_tok_kind { DIFF_T_WORD, DIFF_T_NUM, DIFF_T_CJK, DIFF_T_PUNCT,
	DIFF_T_URL };

struct diff_tok {
	size_t off, len;	/* bytes in the source text */
	uint32_t hash;		/* of the exact bytes */
	uint32_t key;		/* of the canonical form: case, width and
				   CJK punctuation folded; URLs without
				   fragment and tracking parameters */
	unsigned char kind;	/* enum diff_tok_kind */
};

struct diff_toks {
	struct diff_tok *v;
	size_t n, alloc;
};

void diff_tokenize(const char *s, size_t len, struct diff_toks *out);
void diff_toks_free(struct diff_toks *t);

/* One replacement: a[a0, a1) became b[b0, b1) (either may be empty). */
struct diff_hunk {
	size_t a0, a1, b0, b1;
};

struct diff_hunks {
	struct diff_hunk *v;
	size_t n;
	int truncated;		/* edit distance over the cap: one hunk
				   replaces the whole differing middle */
};

/* Myers O((N+M)D) after stripping the common prefix and suffix; when D
 * would exceed dmax (0 = a default of 500) the middle becomes one hunk. */
/* Do tokens a (of text sa) and b (of sb) have the same canonical form,
 * the bytes behind equal keys? Keys are 32-bit hashes: a match of keys
 * is confirmed here before it is trusted. */
int diff_tok_same(const char *sa, const struct diff_tok *a, const char *sb,
    const struct diff_tok *b);
void diff_seq(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    size_t dmax, struct diff_hunks *out);
void diff_hunks_free(struct diff_hunks *h);
/* Append hunk [a0, a1) x [b0, b1) (alloc: h->v's slots), joined to the
 * last one when they touch. */
void diff_hunks_push(struct diff_hunks *h, size_t *alloc, size_t a0, size_t a1,
    size_t b0, size_t b1);

/* Word diff of two texts: new text with "[-removed-]{+added+}" marks.
 * The texts' own characters are escaped (diff_redline_escape), so text
 * that looks like a mark is never one. */
void diff_redline(const char *a, size_t alen, const char *b, size_t blen,
    struct strbuf *out);
/* Text into a redline: a backslash before a backslash and before the
 * second character of "[-", "-]", "{+" and "+}". */
void diff_redline_escape(struct strbuf *out, const char *s, size_t n);
/* The next run of a redline from *p (advanced): *kind is ' ' (unchanged),
 * '-' (removed) or '+' (added), run the text unescaped.  0 at the end.
 * What prints a redline other than as it is (HTML) reads it through this. */
int diff_redline_next(const char **p, int *kind, struct strbuf *run);

/* Clause alignment. */
struct diff_side {
	const char *label;
	const char *text;
	size_t len;
};

enum diff_pair_kind {
	DIFF_SAME,		/* same label, same text, same order */
	DIFF_MODIFIED,		/* matched, text differs */
	DIFF_MOVED,		/* same text, other label or position */
	DIFF_ADDED,
	DIFF_REMOVED
};

#define DIFF_NONE SIZE_MAX

struct diff_pair {
	enum diff_pair_kind kind;
	size_t oldi, newi;	/* DIFF_NONE when absent */
	int reordered;		/* matched but out of the common order */
};

/* Pairs in the new document's order, removed clauses after the clause
 * that preceded them. Matching: identical text first, then label, then
 * content similarity among candidates sharing rare tokens. */
void diff_align(const struct diff_side *a, size_t na,
    const struct diff_side *b, size_t nb, struct diff_pair **out,
    size_t *nout);

/* Dice coefficient of the two texts' canonical token multisets, 0..1. */
double diff_similarity(const char *a, size_t alen, const char *b,
    size_t blen);

/* The hash tokens carry (text_hash32 of the bytes), for keys that must
 * mix with theirs. */
uint32_t diff_hash(const void *p, size_t n);

#endif
