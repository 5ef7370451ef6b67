/* diff: tokens, bounded Myers, redlines, clause alignment.
 *
 * The word diff is Myers' greedy O((N+M)D) algorithm with the trace kept
 * per round (D^2 integers), so D is capped: past the cap the differing
 * middle becomes one replacement, which is what a reader would call a
 * rewritten clause anyway. Clause alignment never compares every pair:
 * candidates come from an inverted index of rare tokens. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unictype.h>

#include "diff.h"
#include "text.h"
#include "util.h"

uint32_t
diff_hash(const void *p, size_t n)
{
	return text_hash32(TEXT_HASH32_INIT, p, n);
}

/* A token's canonical key is hashed code point by code point. */
static uint32_t
hash_cp(uint32_t h, uint32_t cp)
{
	unsigned char b[4];

	b[0] = cp & 0xff; b[1] = (cp >> 8) & 0xff;
	b[2] = (cp >> 16) & 0xff; b[3] = cp >> 24;
	return text_hash32(h, b, 4);
}

/* Full-width ASCII forms to ASCII, CJK punctuation to its ASCII cousin. */
static uint32_t
fold(uint32_t c)
{
	if (c >= 0xff01 && c <= 0xff5e)
		c -= 0xfee0;
	switch (c) {
	case 0x3001: return ',';
	case 0x3002: case 0xff61: return '.';
	case 0x201c: case 0x201d: case 0x300a: case 0x300b: case 0x300c:
	case 0x300d: case 0x300e: case 0x300f: case 0x00ab: case 0x00bb:
		return '"';
	case 0x2018: case 0x2019: case 0x2032:
		return '\'';
	case 0x3010: case 0x3014: return '[';
	case 0x3011: case 0x3015: return ']';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return '-';
	}
	if (c >= 'A' && c <= 'Z')
		c += 32;
	else if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3a9) || (c >= 0x410 && c <= 0x42f))
		c += 32;
	return c;
}

/* A letter of an alphabet (CJK characters are tokens of their own). */
static int
is_alpha(uint32_t c)	/* c folded */
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	return uc_is_alpha(c) && !text_is_cjk(c);
}

static int
is_digit(uint32_t c)	/* c folded */
{
	return c >= '0' && c <= '9';
}

static void
toks_push(struct diff_toks *t, size_t off, size_t len, uint32_t key, int kind,
    const char *s)
{
	struct diff_tok *k;

	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	k = &t->v[t->n++];
	k->off = off;
	k->len = len;
	k->hash = diff_hash(s + off, len);
	k->key = key;
	k->kind = (unsigned char)kind;
}

static int
url_start(const char *s, size_t n)
{
	return (n >= 7 && strncasecmp(s, "http://", 7) == 0) ||
	    (n >= 8 && strncasecmp(s, "https://", 8) == 0) ||
	    (n >= 4 && strncasecmp(s, "www.", 4) == 0);
}

static uint32_t
url_key(const char *s, size_t n)
{
	struct strbuf k = STRBUF_INIT;
	uint32_t h;

	text_url_key(s, n, &k);
	h = diff_hash(k.buf, k.len);
	strbuf_release(&k);
	return h;
}

static uint32_t
next_cp(const char *s, size_t len, size_t i, size_t *n)
{
	ucs4_t c;

	*n = text_u8_next(s + i, len - i, &c, NULL);
	return c;
}

/* A URL from i: up to a blank, a non-ASCII byte or a closing mark, less
 * trailing punctuation.  Its end. */
static size_t
url_end(const char *s, size_t len, size_t i)
{
	size_t e = i;

	while (e < len) {
		unsigned char b = (unsigned char)s[e];

		if (b <= ' ' || b >= 0x80 || b == '<' || b == '>' ||
		    b == '"' || b == '`' || b == ')' || b == ']')
			break;
		e++;
	}
	while (e > i && strchr(".,;:!?'", s[e - 1]))
		e--;
	return e;
}

/* A word or number from i, whose first character folds to f and is n
 * bytes long; inner joiners kept (e-mail, don't, 1,000.50, with
 * 1,000 == 1000).  Its end; *key and *alpha set. */
static size_t
word_end(const char *s, size_t len, size_t i, uint32_t f, size_t n,
    uint32_t *key, int *alpha)
{
	uint32_t h = TEXT_HASH32_INIT, prev;

	*alpha = 0;
	for (;;) {
		uint32_t f2, f3;
		size_t n2, n3;

		if (is_alpha(f))
			*alpha = 1;
		h = hash_cp(h, f);
		prev = f;
		i += n;
		if (i >= len)
			break;
		f2 = fold(next_cp(s, len, i, &n2));
		/* combining marks belong to their letter (Thai vowels, tones) */
		if (is_alpha(f2) || is_digit(f2) ||
		    (f2 >= 0x300 && uc_is_general_category(f2, UC_CATEGORY_M))) {
			n = n2;
			f = f2;
			continue;
		}
		if (i + n2 >= len)
			break;
		f3 = fold(next_cp(s, len, i + n2, &n3));
		if ((f2 == '-' || f2 == '\'') && is_alpha(prev) && is_alpha(f3))
			h = hash_cp(h, f2);
		else if ((f2 == '.' || f2 == ',') && is_digit(prev) &&
		    is_digit(f3))
			h = f2 == '.' ? hash_cp(h, f2) : h;
		else
			break;
		i += n2;
		n = n3;
		f = f3;
	}
	*key = h;
	return i;
}

void
diff_tokenize(const char *s, size_t len, struct diff_toks *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		size_t n, e;
		uint32_t c = next_cp(s, len, i, &n), f, key;
		int alpha;

		if (text_is_space(c)) {
			i += n;
		} else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') &&
		    url_start(s + i, len - i)) {
			e = url_end(s, len, i);
			toks_push(out, i, e - i, url_key(s + i, e - i),
			    DIFF_T_URL, s);
			i = e;
		} else if (is_alpha(f = fold(c)) || is_digit(f)) {
			e = word_end(s, len, i, f, n, &key, &alpha);
			toks_push(out, i, e - i, key,
			    alpha ? DIFF_T_WORD : DIFF_T_NUM, s);
			i = e;
		} else {
			toks_push(out, i, n, hash_cp(TEXT_HASH32_INIT, f),
			    text_is_cjk(c) ? DIFF_T_CJK : DIFF_T_PUNCT, s);
			i += n;
		}
	}
}

/* The canonical code points of token k of s, as its key hashes them:
 * folded, a URL by its key, "1,000" as "1000". */
static void
tok_canon(const char *s, const struct diff_tok *k, struct strbuf *out)
{
	size_t i = 0, n;
	uint32_t prev = 0;

	if (k->kind == DIFF_T_URL) {
		text_url_key(s + k->off, k->len, out);
		return;
	}
	while (i < k->len) {
		uint32_t f = fold(next_cp(s + k->off, k->len, i, &n));
		size_t n2;

		if (f == ',' && k->kind != DIFF_T_PUNCT && is_digit(prev) &&
		    i + n < k->len &&
		    is_digit(fold(next_cp(s + k->off, k->len, i + n, &n2)))) {
			i += n;
			continue;
		}
		strbuf_add(out, (const char *)&f, sizeof(f));
		prev = f;
		i += n;
	}
}

int
diff_tok_same(const char *sa, const struct diff_tok *a, const char *sb,
    const struct diff_tok *b)
{
	struct strbuf ca = STRBUF_INIT, cb = STRBUF_INIT;
	int same;

	if (a->kind != b->kind)
		return 0;
	if (a->len == b->len && !memcmp(sa + a->off, sb + b->off, a->len))
		return 1;
	tok_canon(sa, a, &ca);
	tok_canon(sb, b, &cb);
	same = ca.len == cb.len && !memcmp(ca.buf, cb.buf, ca.len);
	strbuf_release(&ca);
	strbuf_release(&cb);
	return same;
}

void
diff_toks_free(struct diff_toks *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Myers. */

void
diff_hunks_push(struct diff_hunks *h, size_t *alloc, size_t a0, size_t a1,
    size_t b0, size_t b1)
{
	if (h->n && h->v[h->n - 1].a1 == a0 && h->v[h->n - 1].b1 == b0) {
		h->v[h->n - 1].a1 = a1;
		h->v[h->n - 1].b1 = b1;
		return;
	}
	ALLOC_GROW(h->v, h->n + 1, *alloc);
	h->v[h->n].a0 = a0;
	h->v[h->n].a1 = a1;
	h->v[h->n].b0 = b0;
	h->v[h->n].b1 = b1;
	h->n++;
}

/* The forward pass: round d keeps V[k] for k in [-d, d] at
 * V[d*d + k + d].  Returns D, the edit distance, or -1 when it exceeds
 * dmax; *vp holds the rounds. */
static long
myers_forward(const uint32_t *A, size_t N, const uint32_t *B, size_t M,
    size_t dmax, long **vp)
{
	long *V = NULL;
	size_t d, valloc = 0;

	for (d = 0; d <= dmax; d++) {
		long *cur, *prev;
		long k, sd = (long)d;

		ALLOC_GROW(V, (d + 1) * (d + 1), valloc);
		cur = V + d * d;
		prev = d ? V + (d - 1) * (d - 1) : NULL;
		for (k = -sd; k <= sd; k += 2) {
			long x, y;

			if (d == 0)
				x = 0;
			else if (k == -sd || (k != sd &&
			    prev[k - 1 + sd - 1] < prev[k + 1 + sd - 1]))
				x = prev[k + 1 + sd - 1];
			else
				x = prev[k - 1 + sd - 1] + 1;
			y = x - k;
			while (x < (long)N && y < (long)M && y >= 0 &&
			    A[x] == B[y]) {
				x++;
				y++;
			}
			cur[k + sd] = x;
			if (x >= (long)N && y >= (long)M) {
				*vp = V;
				return (long)d;
			}
		}
	}
	*vp = V;
	return -1;
}

/* Back from (N, M) through the rounds: the D edits, last first, each
 * (x << 1) | insert. */
static size_t *
myers_backtrack(const long *V, size_t N, size_t M, size_t D)
{
	size_t *ops = xmalloc((D + 1) * sizeof(*ops)), nops = 0, d;
	long x = (long)N, y = (long)M;

	for (d = D; d > 0; d--) {
		const long *prev = V + (d - 1) * (d - 1);
		long k = x - y, sd = (long)d, pk, px;

		if (k == -sd || (k != sd &&
		    prev[k - 1 + sd - 1] < prev[k + 1 + sd - 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = prev[pk + sd - 1];
		if (pk == k + 1)	/* insertion of B[px - pk] */
			ops[nops++] = ((size_t)px << 1) | 1;
		else			/* deletion of A[px] */
			ops[nops++] = (size_t)px << 1;
		x = px;
		y = px - pk;
	}
	return ops;
}

void
diff_seq(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    size_t dmax, struct diff_hunks *out)
{
	size_t pre = 0, suf = 0, N, M, alloc = 0, x = 0, y = 0, i;
	size_t *ops;
	long *V, D;

	memset(out, 0, sizeof(*out));
	if (!dmax)
		dmax = 500;
	while (pre < na && pre < nb && a[pre] == b[pre])
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	    a[na - 1 - suf] == b[nb - 1 - suf])
		suf++;
	N = na - pre - suf;
	M = nb - pre - suf;
	if (!N && !M)
		return;
	if (!N || !M) {
		diff_hunks_push(out, &alloc, pre, pre + N, pre, pre + M);
		return;
	}
	if (dmax > N + M)
		dmax = N + M;
	if ((D = myers_forward(a + pre, N, b + pre, M, dmax, &V)) < 0) {
		out->truncated = 1;
		diff_hunks_push(out, &alloc, pre, pre + N, pre, pre + M);
		free(V);
		return;
	}
	ops = myers_backtrack(V, N, M, (size_t)D);
	/* replay the edits forward, the snakes between them diagonal */
	for (i = (size_t)D; i-- > 0;) {
		size_t ox = ops[i] >> 1;

		y += ox - x;
		x = ox;
		if (ops[i] & 1) {
			diff_hunks_push(out, &alloc, pre + x, pre + x, pre + y, pre + y + 1);
			y++;
		} else {
			diff_hunks_push(out, &alloc, pre + x, pre + x + 1, pre + y, pre + y);
			x++;
		}
	}
	free(ops);
	free(V);
}

void
diff_hunks_free(struct diff_hunks *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* Redline. */

/* Token ids for the word diff, equal exactly when the bytes are: the
 * hashes sort the tokens of both texts, and the bytes tell apart those
 * whose hashes collide. */
struct tref {
	const char *p;
	size_t len;
	uint32_t hash;
	uint32_t *id;
};

static int
cmp_tref(const void *x, const void *y)
{
	const struct tref *a = x, *b = y;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->p, b->p, a->len);
}

static void
tok_ids(const char *a, const struct diff_toks *ta, const char *b,
    const struct diff_toks *tb, uint32_t *ida, uint32_t *idb)
{
	size_t n = ta->n + tb->n, i;
	struct tref *r = xmalloc((n + 1) * sizeof(*r));
	uint32_t id = 0;

	for (i = 0; i < ta->n; i++)
		r[i] = (struct tref){ a + ta->v[i].off, ta->v[i].len,
		    ta->v[i].hash, &ida[i] };
	for (i = 0; i < tb->n; i++)
		r[ta->n + i] = (struct tref){ b + tb->v[i].off, tb->v[i].len,
		    tb->v[i].hash, &idb[i] };
	qsort(r, n, sizeof(*r), cmp_tref);
	for (i = 0; i < n; i++) {
		if (i && cmp_tref(&r[i - 1], &r[i]))
			id++;
		*r[i].id = id;
	}
	free(r);
}

static int
is_mark(char a, char b)
{
	return (a == '[' && b == '-') || (a == '-' && b == ']') ||
	    (a == '{' && b == '+') || (a == '+' && b == '}');
}

void
diff_redline_escape(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			strbuf_addstr(out, "\\\\");
			continue;
		}
		strbuf_addch(out, s[i]);
		if (i + 1 < n && is_mark(s[i], s[i + 1]))
			strbuf_addch(out, '\\');
	}
}

/* The end of the mark opened at s (s[0] '[' or '{'): its close, or NULL
 * when it has none (a redline cut short). */
static const char *
mark_close(const char *s)
{
	char k = s[1], c = k == '-' ? ']' : '}';

	for (s += 2; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (s[0] == k && s[1] == c)
			return s;
	}
	return NULL;
}

int
diff_redline_next(const char **p, int *kind, struct strbuf *run)
{
	const char *s = *p, *end = NULL;

	strbuf_reset(run);
	if (!*s)
		return 0;
	*kind = ' ';
	if ((s[0] == '[' || s[0] == '{') && is_mark(s[0], s[1])) {
		if ((end = mark_close(s))) {
			*kind = s[1];
			s += 2;
		} else {
			strbuf_add(run, s, 2);	/* unterminated: text */
			s += 2;
		}
	}
	while (*s && s != end) {
		if (*s == '\\' && s[1]) {
			strbuf_addch(run, s[1]);
			s += 2;
			continue;
		}
		if (!end && (s[0] == '[' || s[0] == '{') && is_mark(s[0], s[1]) &&
		    mark_close(s))
			break;
		strbuf_addch(run, *s++);
	}
	if (end)
		s = end + 2;
	*p = s;
	return 1;
}

/* Append tokens [i, j) of t as they stand in s, with a space first when
 * the source had one before token i; the text escaped. */
static void
emit(struct strbuf *out, const char *s, const struct diff_toks *t, size_t i,
    size_t j, const char *open, const char *close, int space_ok)
{
	if (i >= j)
		return;
	if (space_ok && out->len && i > 0 &&
	    t->v[i].off > t->v[i - 1].off + t->v[i - 1].len)
		strbuf_addch(out, ' ');
	else if (space_ok && out->len && i == 0 && t->v[i].off > 0)
		strbuf_addch(out, ' ');
	strbuf_addstr(out, open);
	diff_redline_escape(out, s + t->v[i].off,
	    t->v[j - 1].off + t->v[j - 1].len - t->v[i].off);
	strbuf_addstr(out, close);
}

void
diff_redline(const char *a, size_t alen, const char *b, size_t blen,
    struct strbuf *out)
{
	struct diff_toks ta, tb;
	struct diff_hunks h;
	uint32_t *ha, *hb;
	size_t i, bpos = 0;

	diff_tokenize(a, alen, &ta);
	diff_tokenize(b, blen, &tb);
	ha = xmalloc((ta.n + 1) * sizeof(*ha));
	hb = xmalloc((tb.n + 1) * sizeof(*hb));
	tok_ids(a, &ta, b, &tb, ha, hb);
	diff_seq(ha, ta.n, hb, tb.n, 0, &h);
	for (i = 0; i < h.n; i++) {
		const struct diff_hunk *k = &h.v[i];

		emit(out, b, &tb, bpos, k->b0, "", "", 1);
		emit(out, a, &ta, k->a0, k->a1, "[-", "-]", 1);
		emit(out, b, &tb, k->b0, k->b1, "{+", "+}", k->a0 == k->a1);
		bpos = k->b1;
	}
	emit(out, b, &tb, bpos, tb.n, "", "", 1);
	diff_hunks_free(&h);
	free(ha);
	free(hb);
	diff_toks_free(&ta);
	diff_toks_free(&tb);
}

/* Similarity and alignment. */

/* Sorted content keys: words, numbers, URLs, and CJK bigrams (single
 * characters say little about which clause is which). */
static uint32_t *
content_keys(const char *s, size_t len, size_t *n)
{
	struct diff_toks t;
	uint32_t *k;
	size_t i, m = 0;

	diff_tokenize(s, len, &t);
	k = xmalloc((t.n + 1) * sizeof(*k));
	for (i = 0; i < t.n; i++) {
		const struct diff_tok *x = &t.v[i];

		if (x->kind == DIFF_T_PUNCT)
			continue;
		if (x->kind == DIFF_T_CJK) {
			if (i + 1 < t.n && t.v[i + 1].kind == DIFF_T_CJK)
				k[m++] = hash_cp(x->key, t.v[i + 1].key);
			else if (i == 0 || t.v[i - 1].kind != DIFF_T_CJK)
				k[m++] = x->key;
			continue;
		}
		k[m++] = x->key;
	}
	diff_toks_free(&t);
	qsort(k, m, sizeof(*k), util_cmp_u32);
	*n = m;
	return k;
}

static double
dice(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, common = 0;

	if (!na && !nb)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			common++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return 2.0 * (double)common / (double)(na + nb);
}

double
diff_similarity(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t na, nb;
	uint32_t *ka = content_keys(a, alen, &na), *kb = content_keys(b, blen, &nb);
	double r = dice(ka, na, kb, nb);

	free(ka);
	free(kb);
	return r;
}

struct side_info {
	const char *text;	/* trimmed */
	size_t len;
	uint32_t exact;		/* hash of the trimmed bytes */
	uint32_t *keys;
	size_t nkeys;
};

static void
side_info(const struct diff_side *s, struct side_info *o)
{
	size_t b = 0, e = s->len;

	while (b < e && strchr(" \t\r\n", s->text[b]))
		b++;
	while (e > b && strchr(" \t\r\n", s->text[e - 1]))
		e--;
	o->text = s->text + b;
	o->len = e - b;
	o->exact = diff_hash(o->text, o->len);
	o->keys = content_keys(s->text, s->len, &o->nkeys);
}

/* Identical text: the hash says "maybe", the bytes decide. */
static int
same_text(const struct side_info *x, const struct side_info *y)
{
	return x->exact == y->exact && x->len == y->len &&
	    memcmp(x->text, y->text, x->len) == 0;
}

struct posting {
	uint32_t key;
	size_t j;
};

static int
cmp_posting(const void *x, const void *y)
{
	const struct posting *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

static int
cmp_posting_key(const void *x, const void *y)
{
	const struct posting *a = x, *b = y;

	return a->key < b->key ? -1 : a->key > b->key;
}

/* The first of the postings v[0, n) (sorted) with key k, or n. */
static size_t
posting_first(const struct posting *v, size_t n, uint32_t k)
{
	const struct posting key = { k, 0 };
	const struct posting *p = n ? bsearch(&key, v, n, sizeof(*v),
	    cmp_posting_key) : NULL;

	if (!p)
		return n;
	while (p > v && p[-1].key == k)
		p--;
	return (size_t)(p - v);
}

struct cand {
	double score;
	size_t i, j;
};

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

static int
same_label(const struct diff_side *a, const struct diff_side *b)
{
	return a->label && b->label && strcmp(a->label, b->label) == 0;
}

struct order {
	long major;
	int minor;
	size_t idx;
	struct diff_pair p;
};

static int
cmp_order(const void *x, const void *y)
{
	const struct order *a = x, *b = y;

	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor - b->minor;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

#define MAXCAND 8
#define SIM_MIN 0.5

/* One alignment: both sides, what each clause matched (DIFF_NONE when
 * nothing), which matches are identical text, which keep the order. */
struct align {
	const struct diff_side *a, *b;
	size_t na, nb;
	struct side_info *ia, *ib;
	size_t *ma, *mb;
	char *exact;
	char *inlis;
};

static void
align_init(struct align *x, const struct diff_side *a, size_t na,
    const struct diff_side *b, size_t nb)
{
	size_t i;

	x->a = a;
	x->b = b;
	x->na = na;
	x->nb = nb;
	x->ia = xcalloc(na + 1, sizeof(*x->ia));
	x->ib = xcalloc(nb + 1, sizeof(*x->ib));
	x->ma = xmalloc((na + 1) * sizeof(*x->ma));
	x->mb = xmalloc((nb + 1) * sizeof(*x->mb));
	x->exact = xcalloc(na + 1, 1);
	x->inlis = xcalloc(na + 1, 1);
	for (i = 0; i < na; i++) {
		side_info(&a[i], &x->ia[i]);
		x->ma[i] = DIFF_NONE;
	}
	for (i = 0; i < nb; i++) {
		side_info(&b[i], &x->ib[i]);
		x->mb[i] = DIFF_NONE;
	}
}

static void
align_release(struct align *x)
{
	size_t i;

	for (i = 0; i < x->na; i++)
		free(x->ia[i].keys);
	for (i = 0; i < x->nb; i++)
		free(x->ib[i].keys);
	free(x->ia);
	free(x->ib);
	free(x->ma);
	free(x->mb);
	free(x->exact);
	free(x->inlis);
}

static void
pair(struct align *x, size_t i, size_t j, int exact)
{
	x->ma[i] = j;
	x->mb[j] = i;
	x->exact[i] = (char)exact;
}

/* 1. Identical text: same label and place first, then anywhere (the same
 * label preferred, else the first in order). */
static void
match_identical(struct align *x)
{
	struct posting *ex = xmalloc((x->nb + 1) * sizeof(*ex));
	size_t i, j, k;

	for (i = 0; i < x->na && i < x->nb; i++)
		if (same_label(&x->a[i], &x->b[i]) &&
		    same_text(&x->ia[i], &x->ib[i]))
			pair(x, i, i, 1);
	for (j = 0; j < x->nb; j++) {
		ex[j].key = x->ib[j].exact;
		ex[j].j = j;
	}
	qsort(ex, x->nb, sizeof(*ex), cmp_posting);
	for (i = 0; i < x->na; i++) {
		size_t pick = DIFF_NONE;

		if (x->ma[i] != DIFF_NONE)
			continue;
		k = posting_first(ex, x->nb, x->ia[i].exact);
		for (; k < x->nb && ex[k].key == x->ia[i].exact; k++) {
			j = ex[k].j;
			if (x->mb[j] != DIFF_NONE ||
			    !same_text(&x->ia[i], &x->ib[j]))
				continue;
			if (same_label(&x->a[i], &x->b[j])) {
				pick = j;
				break;
			}
			if (pick == DIFF_NONE)
				pick = j;
		}
		if (pick != DIFF_NONE)
			pair(x, i, pick, 1);
	}
	free(ex);
}

/* Distinct content keys of the unmatched new clauses, sorted. */
static struct posting *
postings(const struct align *x, size_t *n)
{
	struct posting *post;
	size_t i, j, m = 0;

	for (j = 0; j < x->nb; j++)
		m += x->ib[j].nkeys;
	post = xmalloc((m + 1) * sizeof(*post));
	m = 0;
	for (j = 0; j < x->nb; j++) {
		const struct side_info *s = &x->ib[j];

		if (x->mb[j] != DIFF_NONE)
			continue;
		for (i = 0; i < s->nkeys; i++) {
			if (i && s->keys[i] == s->keys[i - 1])
				continue;
			post[m].key = s->keys[i];
			post[m].j = j;
			m++;
		}
	}
	qsort(post, m, sizeof(*post), cmp_posting);
	*n = m;
	return post;
}

/* The new clauses sharing a rare key with old clause i (or its label),
 * in touched[], each with its number of shared keys in votes[]. */
static size_t
vote(const struct align *x, size_t i, const struct posting *post,
    size_t npost, unsigned *votes, size_t *touched)
{
	const struct side_info *s = &x->ia[i];
	size_t rare = x->nb / 20 > 4 ? x->nb / 20 : 4, k, lo, e, n = 0;

	for (k = 0; k < s->nkeys; k++) {
		if (k && s->keys[k] == s->keys[k - 1])
			continue;
		lo = posting_first(post, npost, s->keys[k]);
		for (e = lo; e < npost && post[e].key == s->keys[k];)
			e++;
		if (e - lo > rare)
			continue;
		for (; lo < e; lo++)
			if (!votes[post[lo].j]++)
				touched[n++] = post[lo].j;
	}
	/* the same label is always a candidate */
	if (i < x->nb && x->mb[i] == DIFF_NONE && same_label(&x->a[i], &x->b[i]) &&
	    !votes[i]++)
		touched[n++] = i;
	return n;
}

/* 2. Similar text among candidates sharing rare keys: the MAXCAND most
 * voted for each old clause are scored, then the best scores pair first. */
static void
match_similar(struct align *x)
{
	size_t npost, ncand = 0, acand = 0, i, c, t, n;
	struct posting *post = postings(x, &npost);
	unsigned *votes = xcalloc(x->nb + 1, sizeof(*votes));
	size_t *touched = xmalloc((x->nb + 1) * sizeof(*touched));
	struct cand *cands = NULL;

	for (i = 0; i < x->na; i++) {
		if (x->ma[i] != DIFF_NONE)
			continue;
		n = vote(x, i, post, npost, votes, touched);
		for (c = 0; c < MAXCAND && c < n; c++) {
			size_t best = c;
			double sc;

			for (t = c + 1; t < n; t++)
				if (votes[touched[t]] > votes[touched[best]])
					best = t;
			t = touched[c];
			touched[c] = touched[best];
			touched[best] = t;
			sc = dice(x->ia[i].keys, x->ia[i].nkeys,
			    x->ib[touched[c]].keys, x->ib[touched[c]].nkeys);
			if (same_label(&x->a[i], &x->b[touched[c]]))
				sc += 0.05;
			if (sc >= SIM_MIN) {
				ALLOC_GROW(cands, ncand + 1, acand);
				cands[ncand++] = (struct cand){ sc, i, touched[c] };
			}
		}
		for (c = 0; c < n; c++)
			votes[touched[c]] = 0;
	}
	if (ncand)
		qsort(cands, ncand, sizeof(*cands), cmp_cand);
	for (c = 0; c < ncand; c++)
		if (x->ma[cands[c].i] == DIFF_NONE && x->mb[cands[c].j] == DIFF_NONE)
			pair(x, cands[c].i, cands[c].j, 0);
	free(post);
	free(votes);
	free(touched);
	free(cands);
}

/* 3. The same label, however rewritten (labels are unique). */
static void
match_label(struct align *x)
{
	struct posting *lb = xmalloc((x->nb + 1) * sizeof(*lb));
	size_t nl = 0, i, j, k;

	for (j = 0; j < x->nb; j++)
		if (x->mb[j] == DIFF_NONE && x->b[j].label) {
			lb[nl].key = diff_hash(x->b[j].label, strlen(x->b[j].label));
			lb[nl].j = j;
			nl++;
		}
	qsort(lb, nl, sizeof(*lb), cmp_posting);
	for (i = 0; i < x->na && nl; i++) {
		uint32_t key;

		if (x->ma[i] != DIFF_NONE || !x->a[i].label)
			continue;
		key = diff_hash(x->a[i].label, strlen(x->a[i].label));
		for (k = posting_first(lb, nl, key); k < nl && lb[k].key == key; k++)
			if (x->mb[lb[k].j] == DIFF_NONE &&
			    same_label(&x->a[i], &x->b[lb[k].j])) {
				pair(x, i, lb[k].j, 0);
				break;
			}
	}
	free(lb);
}

/* 4. Which matched pairs keep the common order: the longest increasing
 * subsequence of new positions, O(n log n).  The search is written out:
 * patience sorting needs the insertion point, which bsearch does not
 * give. */
static void
mark_common_order(struct align *x)
{
	size_t *tail = xmalloc((x->na + 1) * sizeof(*tail));
	size_t *prev = xmalloc((x->na + 1) * sizeof(*prev));
	size_t len = 0, i, t;

	for (i = 0; i < x->na; i++) {
		size_t lo = 0, hi = len;

		prev[i] = DIFF_NONE;
		if (x->ma[i] == DIFF_NONE)
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (x->ma[tail[mid]] < x->ma[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo)
			prev[i] = tail[lo - 1];
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	for (t = len ? tail[len - 1] : DIFF_NONE; t != DIFF_NONE; t = prev[t])
		x->inlis[t] = 1;
	free(tail);
	free(prev);
}

/* 5. The pairs in new document order, removed clauses after the clause
 * that preceded them. */
static void
emit_pairs(const struct align *x, struct diff_pair **out, size_t *nout)
{
	struct order *ord = xmalloc((x->na + x->nb + 1) * sizeof(*ord));
	size_t nord = 0, i, j;
	long anchor = -1;

	for (j = 0; j < x->nb; j++) {
		struct order *o = &ord[nord++];

		*o = (struct order){ (long)j, 0, j,
		    { DIFF_ADDED, x->mb[j], j, 0 } };
		if ((i = x->mb[j]) == DIFF_NONE)
			continue;
		o->p.reordered = !x->inlis[i];
		if (!x->exact[i])
			o->p.kind = DIFF_MODIFIED;
		else if (!o->p.reordered && same_label(&x->a[i], &x->b[j]))
			o->p.kind = DIFF_SAME;
		else
			o->p.kind = DIFF_MOVED;
	}
	for (i = 0; i < x->na; i++) {
		if (x->ma[i] != DIFF_NONE) {
			if (x->inlis[i])
				anchor = (long)x->ma[i];
			continue;
		}
		ord[nord++] = (struct order){ anchor, 1, i,
		    { DIFF_REMOVED, i, DIFF_NONE, 0 } };
	}
	qsort(ord, nord, sizeof(*ord), cmp_order);
	*out = xmalloc((nord + 1) * sizeof(**out));
	for (i = 0; i < nord; i++)
		(*out)[i] = ord[i].p;
	*nout = nord;
	free(ord);
}

void
diff_align(const struct diff_side *a, size_t na, const struct diff_side *b,
    size_t nb, struct diff_pair **out, size_t *nout)
{
	struct align x;

	align_init(&x, a, na, b, nb);
	match_identical(&x);
	match_similar(&x);
	match_label(&x);
	mark_common_order(&x);
	emit_pairs(&x, out, nout);
	align_release(&x);
}
