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

static int
is_alpha(uint32_t c)	/* c folded */
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) ||
	    (c >= 0x370 && c <= 0x3ff) || (c >= 0x400 && c <= 0x4ff);
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
		if (is_alpha(f2) || is_digit(f2)) {
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

void
diff_toks_free(struct diff_toks *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Myers. */

static void
hunk_push(struct diff_hunks *h, size_t *alloc, size_t a0, size_t a1,
    size_t b0, size_t b1)
{
	if (h->n && h->v[h->n - 1].a1 == a0 && h->v[h->n - 1].b1 == b0) {
		h->v[h->n - 1].a1 = a1;
		h->v[h->n - 1].b1 = b1;
		return;
	}
	if (h->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		h->v = xrealloc(h->v, *alloc * sizeof(*h->v));
	}
	h->v[h->n].a0 = a0;
	h->v[h->n].a1 = a1;
	h->v[h->n].b0 = b0;
	h->v[h->n].b1 = b1;
	h->n++;
}

void
diff_seq(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    size_t dmax, struct diff_hunks *out)
{
	size_t pre = 0, suf = 0, N, M, alloc = 0, d, D = 0, valloc = 0;
	const uint32_t *A, *B;
	long *V = NULL;
	size_t *ops = NULL;	/* backtracked edits: (x << 1) | insert */
	size_t nops = 0;
	int found = 0;

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
		hunk_push(out, &alloc, pre, pre + N, pre, pre + M);
		return;
	}
	if (dmax > N + M)
		dmax = N + M;
	A = a + pre;
	B = b + pre;
	/* round d keeps V[k] for k in [-d, d] at V[d*d + k + d] */
	for (d = 0; d <= dmax && !found; d++) {
		long *cur, *prev;
		long k, sd = (long)d;

		if ((d + 1) * (d + 1) > valloc) {
			valloc = valloc ? valloc * 2 : 256;
			while (valloc < (d + 1) * (d + 1))
				valloc *= 2;
			V = xrealloc(V, valloc * sizeof(*V));
		}
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
				found = 1;
				D = d;
				break;
			}
		}
	}
	if (!found) {
		out->truncated = 1;
		hunk_push(out, &alloc, pre, pre + N, pre, pre + M);
		free(V);
		return;
	}
	ops = xmalloc((D + 1) * sizeof(*ops));
	{
		long x = (long)N, y = (long)M;

		for (d = D; d > 0; d--) {
			long *prev = V + (d - 1) * (d - 1), k = x - y;
			long sd = (long)d, pk, px;

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
	}
	/* ops are in reverse; replay forward to find positions */
	{
		size_t x = 0, y = 0, i;

		for (i = nops; i-- > 0;) {
			size_t ox = ops[i] >> 1;
			int ins = ops[i] & 1;
			/* skip the snake up to this edit (diagonal) */
			y += ox - x;
			x = ox;
			if (ins) {
				hunk_push(out, &alloc, pre + x, pre + x, pre + y,
				    pre + y + 1);
				y++;
			} else {
				hunk_push(out, &alloc, pre + x, pre + x + 1,
				    pre + y, pre + y);
				x++;
			}
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

static uint32_t *
tok_hashes(const struct diff_toks *t)
{
	uint32_t *h = xmalloc((t->n + 1) * sizeof(*h));
	size_t i;

	for (i = 0; i < t->n; i++)
		h[i] = t->v[i].hash;
	return h;
}

/* Append tokens [i, j) of t as they stand in s, with a space first when
 * the source had one before token i. */
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
	strbuf_add(out, s + t->v[i].off,
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
	ha = tok_hashes(&ta);
	hb = tok_hashes(&tb);
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

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

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
	qsort(k, m, sizeof(*k), cmp_u32);
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
	uint32_t exact;		/* trimmed bytes */
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
	o->exact = diff_hash(s->text + b, e - b);
	o->keys = content_keys(s->text, s->len, &o->nkeys);
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

void
diff_align(const struct diff_side *a, size_t na, const struct diff_side *b,
    size_t nb, struct diff_pair **out, size_t *nout)
{
	struct side_info *ia = xcalloc(na + 1, sizeof(*ia));
	struct side_info *ib = xcalloc(nb + 1, sizeof(*ib));
	size_t *ma = xmalloc((na + 1) * sizeof(*ma));
	size_t *mb = xmalloc((nb + 1) * sizeof(*mb));
	struct posting *post = NULL;
	size_t npost = 0, i, j, rare;
	unsigned *votes = xcalloc(nb + 1, sizeof(*votes));
	size_t *touched = xmalloc((nb + 1) * sizeof(*touched));
	struct cand *cands = NULL;
	size_t ncand = 0, acand = 0;
	char *exact_pair = xcalloc(na + 1, 1);
	int *inlis = xcalloc(na + 1, sizeof(*inlis));
	struct order *ord;
	size_t nord = 0;

	for (i = 0; i < na; i++) {
		side_info(&a[i], &ia[i]);
		ma[i] = DIFF_NONE;
	}
	for (j = 0; j < nb; j++) {
		side_info(&b[j], &ib[j]);
		mb[j] = DIFF_NONE;
		npost += ib[j].nkeys;
	}

	/* 1. identical text: same label first, then in order */
	for (i = 0; i < na; i++)
		if (i < nb && same_label(&a[i], &b[i]) && ia[i].exact == ib[i].exact &&
		    mb[i] == DIFF_NONE) {
			ma[i] = i;
			mb[i] = i;
			exact_pair[i] = 1;
		}
	{
		struct posting *ex = xmalloc((nb + 1) * sizeof(*ex));

		for (j = 0; j < nb; j++) {
			ex[j].key = ib[j].exact;
			ex[j].j = j;
		}
		qsort(ex, nb, sizeof(*ex), cmp_posting);
		for (i = 0; i < na; i++) {
			size_t lo = 0, hi = nb, pick = DIFF_NONE;

			if (ma[i] != DIFF_NONE)
				continue;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (ex[mid].key < ia[i].exact)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nb && ex[lo].key == ia[i].exact; lo++) {
				size_t jj = ex[lo].j;

				if (mb[jj] != DIFF_NONE)
					continue;
				if (same_label(&a[i], &b[jj])) {
					pick = jj;
					break;
				}
				if (pick == DIFF_NONE)
					pick = jj;
			}
			if (pick != DIFF_NONE) {
				ma[i] = pick;
				mb[pick] = i;
				exact_pair[i] = 1;
			}
		}
		free(ex);
	}

	/* 2. similar text among candidates sharing rare keys */
	post = xmalloc((npost + 1) * sizeof(*post));
	npost = 0;
	for (j = 0; j < nb; j++) {
		if (mb[j] != DIFF_NONE)
			continue;
		for (i = 0; i < ib[j].nkeys; i++) {
			if (i && ib[j].keys[i] == ib[j].keys[i - 1])
				continue;
			post[npost].key = ib[j].keys[i];
			post[npost].j = j;
			npost++;
		}
	}
	qsort(post, npost, sizeof(*post), cmp_posting);
	rare = nb / 20 > 4 ? nb / 20 : 4;
	for (i = 0; i < na; i++) {
		size_t k, ntouched = 0, c;

		if (ma[i] != DIFF_NONE)
			continue;
		for (k = 0; k < ia[i].nkeys; k++) {
			size_t lo = 0, hi = npost, e;

			if (k && ia[i].keys[k] == ia[i].keys[k - 1])
				continue;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (post[mid].key < ia[i].keys[k])
					lo = mid + 1;
				else
					hi = mid;
			}
			for (e = lo; e < npost && post[e].key == ia[i].keys[k];)
				e++;
			if (e - lo > rare)
				continue;
			for (; lo < e; lo++) {
				size_t jj = post[lo].j;

				if (!votes[jj]++)
					touched[ntouched++] = jj;
			}
		}
		/* the same label is always a candidate */
		if (i < nb && mb[i] == DIFF_NONE && same_label(&a[i], &b[i]) &&
		    !votes[i]++)
			touched[ntouched++] = i;
		for (c = 0; c < MAXCAND && c < ntouched; c++) {
			size_t best = c, t;
			double s;

			for (t = c + 1; t < ntouched; t++)
				if (votes[touched[t]] > votes[touched[best]])
					best = t;
			t = touched[c];
			touched[c] = touched[best];
			touched[best] = t;
			s = dice(ia[i].keys, ia[i].nkeys, ib[touched[c]].keys,
			    ib[touched[c]].nkeys);
			if (same_label(&a[i], &b[touched[c]]))
				s += 0.05;
			if (s >= SIM_MIN) {
				if (ncand == acand) {
					acand = acand ? acand * 2 : 16;
					cands = xrealloc(cands, acand * sizeof(*cands));
				}
				cands[ncand].score = s;
				cands[ncand].i = i;
				cands[ncand].j = touched[c];
				ncand++;
			}
		}
		for (c = 0; c < ntouched; c++)
			votes[touched[c]] = 0;
	}
	if (ncand)
		qsort(cands, ncand, sizeof(*cands), cmp_cand);
	for (i = 0; i < ncand; i++)
		if (ma[cands[i].i] == DIFF_NONE && mb[cands[i].j] == DIFF_NONE) {
			ma[cands[i].i] = cands[i].j;
			mb[cands[i].j] = cands[i].i;
		}

	/* 3. the same label, however rewritten (by index: labels are unique) */
	{
		struct posting *lb = xmalloc((nb + 1) * sizeof(*lb));
		size_t nl = 0;

		for (j = 0; j < nb; j++)
			if (mb[j] == DIFF_NONE && b[j].label) {
				lb[nl].key = diff_hash(b[j].label, strlen(b[j].label));
				lb[nl].j = j;
				nl++;
			}
		qsort(lb, nl, sizeof(*lb), cmp_posting);
		for (i = 0; i < na && nl; i++) {
			uint32_t key;
			size_t lo = 0, hi = nl;

			if (ma[i] != DIFF_NONE || !a[i].label)
				continue;
			key = diff_hash(a[i].label, strlen(a[i].label));
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (lb[mid].key < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nl && lb[lo].key == key; lo++)
				if (mb[lb[lo].j] == DIFF_NONE &&
				    same_label(&a[i], &b[lb[lo].j])) {
					ma[i] = lb[lo].j;
					mb[lb[lo].j] = i;
					break;
				}
		}
		free(lb);
	}

	/* 4. which matched pairs keep the common order: longest increasing
	 * subsequence of new positions, O(n log n) */
	{
		size_t *tail = xmalloc((na + 1) * sizeof(*tail));
		size_t *prev = xmalloc((na + 1) * sizeof(*prev));
		size_t len = 0, t;

		for (i = 0; i < na; i++) {
			size_t lo = 0, hi = len;

			prev[i] = DIFF_NONE;
			if (ma[i] == DIFF_NONE)
				continue;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (ma[tail[mid]] < ma[i])
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
			inlis[t] = 1;
		free(tail);
		free(prev);
	}

	/* 5. order: new document order, removed after their predecessor */
	ord = xmalloc((na + nb + 1) * sizeof(*ord));
	for (j = 0; j < nb; j++) {
		struct order *o = &ord[nord++];

		o->major = (long)j;
		o->minor = 0;
		o->idx = j;
		o->p.newi = j;
		o->p.oldi = mb[j];
		o->p.reordered = 0;
		if (mb[j] == DIFF_NONE) {
			o->p.kind = DIFF_ADDED;
			continue;
		}
		i = mb[j];
		o->p.reordered = !inlis[i];
		if (exact_pair[i])
			o->p.kind = (!o->p.reordered && same_label(&a[i], &b[j])) ?
			    DIFF_SAME : DIFF_MOVED;
		else
			o->p.kind = DIFF_MODIFIED;
	}
	{
		long anchor = -1;

		for (i = 0; i < na; i++) {
			struct order *o;

			if (ma[i] != DIFF_NONE) {
				if (inlis[i])
					anchor = (long)ma[i];
				continue;
			}
			o = &ord[nord++];
			o->major = anchor;
			o->minor = 1;
			o->idx = i;
			o->p.kind = DIFF_REMOVED;
			o->p.oldi = i;
			o->p.newi = DIFF_NONE;
			o->p.reordered = 0;
		}
	}
	qsort(ord, nord, sizeof(*ord), cmp_order);
	*out = xmalloc((nord + 1) * sizeof(**out));
	for (i = 0; i < nord; i++)
		(*out)[i] = ord[i].p;
	*nout = nord;

	free(ord);
	for (i = 0; i < na; i++)
		free(ia[i].keys);
	for (j = 0; j < nb; j++)
		free(ib[j].keys);
	free(ia);
	free(ib);
	free(ma);
	free(mb);
	free(post);
	free(votes);
	free(touched);
	free(cands);
	free(exact_pair);
	free(inlis);
}
