/* edit: the class of one edit (see edit.h). Editorial classes are tried
 * first, each a named rule; what is left is operative when it touches a
 * modal or negation, a quantity, a condition, a party, an item of a list
 * or the terms of a binding sentence, else descriptive. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#include "diff.h"
#include "edit.h"
#include "judge.h"
#include "lexicon.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#define C(x) (1u << JUDGE_C_##x)

static const char *const edit_class_names[] = {
	"", "typo fix", "orthography", "link or anchor", "function words",
	"date", "cross-reference renumbered", "contact details",
	"an example", "rename", "text moved or de-duplicated", "page chrome",
	"announcement of a coming update", "heading",
	"descriptive text, binds nobody",
	"modality or polarity", "a quantity", "a condition or exception",
	"a party", "an item of a list", "the terms of a binding sentence",
	"a provision",
};

const char *
edit_class_name(enum edit_class e)
{
	return e <= EDIT_PROVISION ? edit_class_names[e] : "";
}

/* Content units: non-punctuation tokens, with each date (which needs a
 * year: "March 1" alone may be a due date) folded into one unit. */

#define U_DATE 0x40

struct unit {
	uint32_t key;
	size_t t0, t1;		/* tokens */
	unsigned char kind;	/* diff_tok_kind or U_DATE */
};

struct side {
	const char *s;
	size_t len;
	struct diff_toks t;
	struct unit *u;
	size_t nu;
	char *email;		/* per token: part of an e-mail address */
};

static int
tok_is(const struct side *x, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return i < x->t.n && x->t.v[i].len == n &&
	    memcmp(x->s + x->t.v[i].off, lit, n) == 0;
}

static int
is_year(const struct side *x, size_t i)
{
	const char *p;

	if (i >= x->t.n || x->t.v[i].kind != DIFF_T_NUM || x->t.v[i].len != 4)
		return 0;
	p = x->s + x->t.v[i].off;
	return (p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0');
}

static int
is_day(const struct side *x, size_t i)	/* 1..31, also "1st" */
{
	const struct diff_tok *k;
	const char *p;

	if (i >= x->t.n)
		return 0;
	k = &x->t.v[i];
	p = x->s + k->off;
	if (k->kind == DIFF_T_NUM)
		return k->len <= 2;
	if (k->kind == DIFF_T_WORD && k->len >= 3 && k->len <= 4 &&
	    p[0] >= '0' && p[0] <= '9')
		return 1;
	return 0;
}

static int
is_month(const struct side *x, size_t i)
{
	return i < x->t.n && x->t.v[i].kind == DIFF_T_WORD &&
	    lexicon_word(LEXW_MONTH, x->s + x->t.v[i].off, x->t.v[i].len);
}

static int
is_sep(const struct side *x, size_t i)
{
	return tok_is(x, i, "-") || tok_is(x, i, "/") || tok_is(x, i, ".") ||
	    tok_is(x, i, ",") || tok_is(x, i, "，");
}

/* Number of tokens of a date starting at i, or 0. */
static size_t
date_at(const struct side *x, size_t i)
{
	size_t j;

	if (is_year(x, i)) {
		j = i + 1;
		if (tok_is(x, j, "年") && is_day(x, j + 1) &&
		    x->t.v[j + 1].kind == DIFF_T_NUM && tok_is(x, j + 2, "月")) {
			j += 3;
			if (x->t.n > j + 1 && is_day(x, j) &&
			    (tok_is(x, j + 1, "日") || tok_is(x, j + 1, "号")))
				j += 2;
			return j - i;
		}
		if (is_sep(x, j) && is_day(x, j + 1) && is_sep(x, j + 2) &&
		    is_day(x, j + 3))
			return 5;
		return 0;
	}
	if (is_month(x, i)) {	/* March 1, 2026 / March 2026 */
		j = i + 1;
		if (is_day(x, j)) {
			j++;
			if (is_sep(x, j))
				j++;
			return is_year(x, j) ? j + 1 - i : 0;
		}
		return is_year(x, j) ? 2 : 0;
	}
	if (is_day(x, i) && is_month(x, i + 1)) {	/* 1 March 2026 */
		j = i + 2;
		if (is_sep(x, j))
			j++;
		return is_year(x, j) ? j + 1 - i : 0;
	}
	return 0;
}

/* Markdown link targets, "[text](https://…)" and "[text](#anchor)", are
 * addresses, never wording: their tokens count as links (2), in-page
 * anchors as 3. So does Cloudflare's "[email protected]" stand-in for an
 * address. */
/* The words of a Markdown link's text "[...]" ending at byte close, as 4:
 * changing what a link says is editorial when nothing else changes. */
static void
mark_link_text(struct side *x, size_t close)
{
	size_t open = close, t;
	int depth = 0;

	while (open > 0 && close - open <= 200) {
		open--;
		if (x->s[open] == ']')
			depth++;
		else if (x->s[open] == '[' && depth-- == 0)
			break;
	}
	if (x->s[open] != '[' || close - open > 200)
		return;
	for (t = 0; t < x->t.n && x->t.v[t].off < close; t++)
		if (x->t.v[t].off > open && !x->email[t])
			x->email[t] = 4;
}

/* A link's title after its destination, '[t](url "title")', from the
 * space at j: the byte after its ')', with *depth 0, or j unchanged. A
 * title is a tooltip: its words are the link's, not the text's. */
static size_t
link_title_end(const char *s, size_t len, size_t j, int *depth)
{
	size_t k = j + 1;
	char q;

	if (k >= len || (s[k] != '"' && s[k] != '\''))
		return j;
	q = s[k];
	for (k++; k < len && s[k] != q && s[k] != '\n'; k++)
		;
	if (k + 1 >= len || s[k] != q || s[k + 1] != ')')
		return j;
	*depth = 0;
	return k + 2;
}

#define LINK_MAX 2048

static void
mark_links(struct side *x)
{
	size_t i, t = 0;

	for (i = 0; i + 1 < x->len; i++) {
		size_t j, end;
		int depth = 1;
		char mark;

		if (x->s[i] == '[' && x->len - i >= 16 &&
		    memcmp(x->s + i + 1, "email protected", 15) == 0) {
			end = i + 16;
			mark = 1;
		} else if (x->s[i] == '[' && x->len - i >= 18 && x->s[i + 1] == '\\' &&
		    x->s[i + 2] == '[' && memcmp(x->s + i + 3, "email protected", 15) == 0) {
			end = i + 18;	/* "[\[email protected\]]" in Markdown */
			mark = 1;
		} else if (x->s[i] == ']' && x->s[i + 1] == '(') {
			/* a destination is short: a page of "](((" is no link */
			for (j = i + 2; j < x->len && j < i + LINK_MAX && depth > 0; j++) {
				if (x->s[j] == '(')
					depth++;
				else if (x->s[j] == ')')
					depth--;
				else if (x->s[j] == ' ' || x->s[j] == '\n')
					break;
			}
			if (depth == 1 && j < x->len && x->s[j] == ' ')
				j = link_title_end(x->s, x->len, j, &depth);
			if (depth != 0)
				continue;
			end = j;
			mark = x->s[i + 2] == '#' ? 3 : 2;
			mark_link_text(x, i);
		} else
			continue;
		while (t < x->t.n && x->t.v[t].off < i)
			t++;
		for (; t < x->t.n && x->t.v[t].off < end; t++)
			if (!x->email[t] || mark > 1)
				x->email[t] = mark;
		i = end - 1;
	}
}

static void
mark_emails(struct side *x)
{
	size_t i;

	x->email = xcalloc(x->t.n + 1, 1);
	for (i = 0; i < x->t.n; i++) {
		size_t l, r;

		if (!tok_is(x, i, "@"))
			continue;
		/* glue: tokens touching each other around the '@' */
		for (l = i; l > 0 && x->t.v[l - 1].off + x->t.v[l - 1].len ==
		    x->t.v[l].off && x->t.v[l - 1].kind != DIFF_T_CJK; l--)
			;
		for (r = i; r + 1 < x->t.n && x->t.v[r].off + x->t.v[r].len ==
		    x->t.v[r + 1].off && x->t.v[r + 1].kind != DIFF_T_CJK; r++)
			;
		while (l <= r)
			x->email[l++] = 1;
	}
	mark_links(x);
}

static void
side_init(struct side *x, const char *s, size_t len)
{
	size_t i = 0;

	memset(x, 0, sizeof(*x));
	x->s = s;
	x->len = len;
	diff_tokenize(s, len, &x->t);
	x->u = xmalloc((x->t.n + 1) * sizeof(*x->u));
	mark_emails(x);
	while (i < x->t.n) {
		size_t d = date_at(x, i);
		struct unit *u;

		if (d) {
			u = &x->u[x->nu++];
			u->key = diff_hash("<date>", 6);
			u->t0 = i;
			u->t1 = i + d;
			u->kind = U_DATE;
			i += d;
			continue;
		}
		if (x->t.v[i].kind != DIFF_T_PUNCT) {
			u = &x->u[x->nu++];
			u->key = x->t.v[i].key;
			u->t0 = i;
			u->t1 = i + 1;
			u->kind = x->t.v[i].kind;
		}
		i++;
	}
}

static void
side_free(struct side *x)
{
	diff_toks_free(&x->t);
	free(x->u);
	free(x->email);
}

static uint32_t *
unit_keys(const struct side *x)
{
	uint32_t *k = xmalloc((x->nu + 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < x->nu; i++)
		k[i] = x->u[i].key;
	return k;
}

/* Units i of a and j of b with equal keys: the same words? A date is
 * one unit whatever its words (its key says "a date"). */
static int
same_unit(const struct side *a, size_t i, const struct side *b, size_t j)
{
	if ((a->u[i].kind == U_DATE) != (b->u[j].kind == U_DATE))
		return 0;
	return a->u[i].kind == U_DATE ||
	    diff_tok_same(a->s, &a->t.v[a->u[i].t0], b->s, &b->t.v[b->u[j].t0]);
}

/* The same units, word for word: with raw, a date's own words count
 * ("1 March" -> "1 April" differs); without, any date is a date. */
static int
same_words(const struct side *a, const struct side *b, int raw)
{
	size_t i, k;

	if (a->nu != b->nu)
		return 0;
	for (i = 0; i < a->nu; i++) {
		const struct unit *x = &a->u[i], *y = &b->u[i];

		if (!raw) {
			if (!same_unit(a, i, b, i))
				return 0;
			continue;
		}
		if (x->t1 - x->t0 != y->t1 - y->t0)
			return 0;
		for (k = 0; k < x->t1 - x->t0; k++)
			if (!diff_tok_same(a->s, &a->t.v[x->t0 + k], b->s,
			    &b->t.v[y->t0 + k]))
				return 0;
	}
	return 1;
}

/* The diff ran on 32-bit keys: confirm each pair of units it matched by
 * their words, and make a pair whose keys only collide a hunk, so that
 * no change hides behind a hash. */
static void
confirm_matches(const struct side *a, const struct side *b, struct diff_hunks *h)
{
	struct diff_hunks out = { 0 };
	size_t alloc = 0, k, i = 0, j = 0, bad = 0;

	for (k = 0; k <= h->n; k++) {
		size_t end = k < h->n ? h->v[k].a0 : a->nu;

		for (; i < end && j < b->nu; i++, j++)
			if (!same_unit(a, i, b, j)) {
				diff_hunks_push(&out, &alloc, i, i + 1, j, j + 1);
				bad++;
			}
		if (k == h->n)
			break;
		diff_hunks_push(&out, &alloc, h->v[k].a0, h->v[k].a1, h->v[k].b0,
		    h->v[k].b1);
		i = h->v[k].a1;
		j = h->v[k].b1;
	}
	if (!bad) {
		free(out.v);
		return;
	}
	out.truncated = h->truncated;
	diff_hunks_free(h);
	*h = out;
}

/* Byte span of units [u0, u1) of x. */
static void
unit_span(const struct side *x, size_t u0, size_t u1, size_t *b0, size_t *b1)
{
	if (u0 >= u1) {
		size_t t = u0 < x->nu ? x->u[u0].t0 : x->t.n;

		*b0 = *b1 = t < x->t.n ? x->t.v[t].off : x->len;
		return;
	}
	*b0 = x->t.v[x->u[u0].t0].off;
	*b1 = x->t.v[x->u[u1 - 1].t1 - 1].off + x->t.v[x->u[u1 - 1].t1 - 1].len;
}

static int
is_stop(const char *s, size_t len, size_t i, size_t *n)
{
	static const char *const cjk[] = { "。", "；", "！", "？", NULL };
	size_t k;

	*n = 1;
	if (s[i] == '\n')
		return 1;
	if (s[i] && strchr(".;!?", s[i])) {
		size_t j = i + 1;

		/* "Title.** Text": emphasis closes after the stop */
		while (j < len && j < i + 3 && (s[j] == '*' || s[j] == '_'))
			j++;
		if (j >= len || s[j] == ' ' || s[j] == '\n') {
			*n = j - i;
			return 1;
		}
	}
	for (k = 0; cjk[k]; k++)
		if (i + 3 <= len && memcmp(s + i, cjk[k], 3) == 0) {
			*n = 3;
			return 1;
		}
	return 0;
}

#define SENTENCE_MAX 4096

/* Widen [b0, b1) to the sentence(s) around it, at most SENTENCE_MAX bytes
 * each way. */
static void
sentence(const char *s, size_t len, size_t *b0, size_t *b1)
{
	size_t i = *b0, n, from = *b0, to = *b1;

	/* a "sentence" of a whole page without stops is read near the edit
	 * only: hunks times its length would be quadratic */
	while (i > 0 && from - i < SENTENCE_MAX) {
		ucs4_t c;
		size_t j = i - text_u8_prev(s, i, &c);

		if (is_stop(s, len, j, &n))
			break;
		i = j;
	}
	*b0 = i;
	for (i = *b1; i < len && i - to < SENTENCE_MAX; i++)
		if (is_stop(s, len, i, &n)) {
			i += n;
			break;
		}
	*b1 = i;
}

/* Restricted Damerau-Levenshtein on bytes, capped words only. */
static size_t
osa(const char *a, size_t n, const char *b, size_t m)
{
	size_t d[33][33], i, j;

	if (n > 32 || m > 32)
		return 99;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			char x = a[i - 1], y = b[j - 1];
			size_t c, v;

			if (x >= 'A' && x <= 'Z') x += 32;
			if (y >= 'A' && y <= 'Z') y += 32;
			c = x != y;
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v) v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

static int
cjk_confusable(const char *a, size_t n, const char *b, size_t m)
{
	static const char *const sets[] = { "的得地", "在再", "做作", "帐账",
		"即既", "像象", "已己", "部步", "型形", "其期", "圆元员", NULL };
	size_t i;

	if (n != 3 || m != 3)
		return 0;
	for (i = 0; sets[i]; i++) {
		const char *p = memmem(sets[i], strlen(sets[i]), a, 3);
		const char *q = memmem(sets[i], strlen(sets[i]), b, 3);

		if (p && q && ((p - sets[i]) % 3) == 0 && ((q - sets[i]) % 3) == 0)
			return 1;
	}
	return 0;
}

static const struct diff_tok *
utok(const struct side *x, size_t u)
{
	return &x->t.v[x->u[u].t0];
}

static int
special_word(const struct side *x, size_t u)
{
	const struct diff_tok *k = utok(x, u);

	return lexicon_word(LEXW_NEGATION, x->s + k->off, k->len) ||
	    lexicon_word(LEXW_MODAL, x->s + k->off, k->len);
}

static int
hunk_is_typo(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	const struct diff_tok *x, *y;
	size_t d, mn;

	if (h->a1 - h->a0 != 1 || h->b1 - h->b0 != 1)
		return 0;
	if (a->u[h->a0].kind != b->u[h->b0].kind)
		return 0;
	if (special_word(a, h->a0) || special_word(b, h->b0))
		return 0;
	x = utok(a, h->a0);
	y = utok(b, h->b0);
	if (a->u[h->a0].kind == DIFF_T_CJK)
		return cjk_confusable(a->s + x->off, x->len, b->s + y->off, y->len);
	if (a->u[h->a0].kind != DIFF_T_WORD)
		return 0;
	/* no digits: "v2" -> "v3" is a version, not a typo */
	for (d = 0; d < x->len; d++)
		if (a->s[x->off + d] >= '0' && a->s[x->off + d] <= '9')
			return 0;
	for (d = 0; d < y->len; d++)
		if (b->s[y->off + d] >= '0' && b->s[y->off + d] <= '9')
			return 0;
	mn = x->len < y->len ? x->len : y->len;
	d = osa(a->s + x->off, x->len, b->s + y->off, y->len);
	return (mn >= 4 && d <= 1) || (mn >= 7 && d <= 2);
}

/* One word spelled out or shortened: "repos" -> "repositories", "info"
 * -> "information". */
static int
hunk_is_abbreviation(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	const struct diff_tok *x, *y;
	size_t n;

	if (h->a1 - h->a0 != 1 || h->b1 - h->b0 != 1 ||
	    a->u[h->a0].kind != DIFF_T_WORD || b->u[h->b0].kind != DIFF_T_WORD)
		return 0;
	x = utok(a, h->a0);
	y = utok(b, h->b0);
	n = x->len < y->len ? x->len : y->len;
	return n >= 4 && x->len != y->len && x->len + y->len >= 12 &&
	    strncasecmp(a->s + x->off, b->s + y->off, n) == 0;
}

static int
unit_contactish(const struct side *x, size_t u)
{
	return x->u[u].kind == DIFF_T_URL || x->email[x->u[u].t0];
}

/* Every unit a hunk touches is a link or an e-mail address. */
static int
hunk_is_contact(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	size_t i;

	if (h->a0 == h->a1 && h->b0 == h->b1)
		return 0;
	for (i = h->a0; i < h->a1; i++)
		if (!unit_contactish(a, i))
			return 0;
	for (i = h->b0; i < h->b1; i++)
		if (!unit_contactish(b, i))
			return 0;
	return 1;
}

/* The word's bytes without dashes: "amenities—tend" is two words that
 * lost their space to a dash. */
static void
add_letters(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			continue;
		if (i + 2 < n && (unsigned char)s[i] == 0xe2 &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
			i += 2;		/* en and em dash */
			continue;
		}
		strbuf_addch(sb, s[i]);
	}
}

/* Every unit a hunk touches is an in-page anchor ("(#section)"), or the
 * same words joined or split ("can not" -> "cannot", "e-mail" -> "email"). */
static int
hunk_is_anchor(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	size_t i;
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	int r = 1;

	if (h->a0 == h->a1 && h->b0 == h->b1)
		return 0;
	for (i = h->a0; i < h->a1 && r; i++)
		r = a->email[a->u[i].t0] == 3;
	for (i = h->b0; i < h->b1 && r; i++)
		r = b->email[b->u[i].t0] == 3;
	if (r)
		return 1;
	/* joined or split words: the same letters, no negation lost */
	if (h->a0 == h->a1 || h->b0 == h->b1 || h->a1 - h->a0 > 3 ||
	    h->b1 - h->b0 > 3 || (h->a1 - h->a0 == 1 && h->b1 - h->b0 == 1))
		return 0;
	for (i = h->a0; i < h->a1; i++)
		if (a->u[i].kind == DIFF_T_WORD)
			add_letters(&x, a->s + utok(a, i)->off, utok(a, i)->len);
	for (i = h->b0; i < h->b1; i++)
		if (b->u[i].kind == DIFF_T_WORD)
			add_letters(&y, b->s + utok(b, i)->off, utok(b, i)->len);
	r = x.len > 3 && x.len == y.len && strncasecmp(x.buf, y.buf, x.len) == 0;
	strbuf_release(&x);
	strbuf_release(&y);
	return r;
}

static int
is_list_sep(const struct side *x, size_t t)
{
	const struct diff_tok *k = &x->t.v[t];
	const char *p = x->s + k->off;

	if (k->kind == DIFF_T_PUNCT)
		return k->len == 1 ? (*p == ',' || *p == ';') :
		    (!memcmp(p, "、", 3) || !memcmp(p, "；", 3) ||
		    !memcmp(p, "，", 3));
	return (k->len == 3 && (!memcmp(p, "and", 3) || !memcmp(p, "和", 3) ||
	    !memcmp(p, "及", 3) || !memcmp(p, "或", 3))) ||
	    (k->len == 2 && !memcmp(p, "or", 2));
}

/* Does a token among units [u0, u1) of x, or right at their edges, pass
 * test? */
static int
hunk_edge_has(const struct side *x, size_t u0, size_t u1,
    int (*test)(const struct side *, size_t))
{
	size_t t0, t1, t;

	if (u0 >= u1)
		return 0;
	t0 = x->u[u0].t0 ? x->u[u0].t0 - 1 : 0;
	t1 = x->u[u1 - 1].t1 < x->t.n ? x->u[u1 - 1].t1 + 1 : x->t.n;
	for (t = t0; t < t1; t++)
		if (test(x, t))
			return 1;
	return 0;
}

static int
is_table_bar(const struct side *x, size_t t)
{
	return x->t.v[t].kind == DIFF_T_PUNCT && x->t.v[t].len == 1 &&
	    x->s[x->t.v[t].off] == '|';
}

/* A cell of a Markdown table among the hunk's tokens or at its edges: a
 * row of a sub-processor or data table is an item, never a rename. */
static int
hunk_in_table(const struct side *x, size_t u0, size_t u1)
{
	return hunk_edge_has(x, u0, u1, is_table_bar);
}

/* Does the token span [t0, t1) read like the inside of a list: separators,
 * and no negation or modal whose scope could have moved? */
static int
list_span(const struct side *x, size_t t0, size_t t1)
{
	size_t t;
	int seps = 0;

	for (t = t0; t < t1; t++) {
		const struct diff_tok *k = &x->t.v[t];

		if (is_list_sep(x, t))
			seps++;
		else if (lexicon_word(LEXW_NEGATION, x->s + k->off, k->len) ||
		    lexicon_word(LEXW_MODAL, x->s + k->off, k->len))
			return 0;
	}
	return seps > 0;
}

/* Items of a list re-ordered: the same words, permuted only inside a
 * stretch that is a list. */
/* Units [lo, hi) of a and of b: the same words in some order? Keys
 * agreed already; this confirms them by their words (a short list only:
 * quadratic). */
static int
same_multiset(const struct side *a, const struct side *b, size_t lo, size_t hi)
{
	unsigned char *used;
	size_t i, j;
	int ok = 1;

	if (hi - lo > 256)
		return 0;
	used = xcalloc(hi - lo + 1, 1);
	for (i = lo; i < hi && ok; i++) {
		for (j = lo; j < hi; j++)
			if (!used[j - lo] && a->u[i].key == b->u[j].key &&
			    same_unit(a, i, b, j))
				break;
		if (j == hi)
			ok = 0;
		else
			used[j - lo] = 1;
	}
	free(used);
	return ok;
}

static int
same_items(const struct side *a, const struct side *b, const uint32_t *ka,
    const uint32_t *kb)
{
	uint32_t *sa, *sb;
	size_t lo = 0, hi, i;
	int r;

	if (a->nu != b->nu || !a->nu)
		return 0;
	sa = xmalloc(a->nu * sizeof(*sa));
	sb = xmalloc(b->nu * sizeof(*sb));
	memcpy(sa, ka, a->nu * sizeof(*sa));
	memcpy(sb, kb, b->nu * sizeof(*sb));
	qsort(sa, a->nu, sizeof(*sa), util_cmp_u32);
	qsort(sb, b->nu, sizeof(*sb), util_cmp_u32);
	r = memcmp(sa, sb, a->nu * sizeof(*sa)) == 0;
	free(sa);
	free(sb);
	if (!r)
		return 0;
	while (lo < a->nu && ka[lo] == kb[lo] && same_unit(a, lo, b, lo))
		lo++;
	hi = a->nu;
	while (hi > lo && ka[hi - 1] == kb[hi - 1] && same_unit(a, hi - 1, b, hi - 1))
		hi--;
	if (!same_multiset(a, b, lo, hi))
		return 0;
	/* widen to the neighbouring units so "a, b" -> "b, a" sees its comma */
	i = lo ? lo - 1 : 0;
	hi = hi < a->nu ? hi + 1 : hi;
	return list_span(a, a->u[i].t0, a->u[hi - 1].t1) &&
	    list_span(b, b->u[i].t0, b->u[hi - 1].t1);
}

/* Quote at most ~60 bytes of s, cut at a character boundary. */
static void
quote(struct strbuf *sb, const char *s, size_t n)
{
	size_t max = 60;
	int cut = 0;

	if (n > max) {
		n = text_cut(s, n, max);
		cut = 1;
	}
	strbuf_addch(sb, '\'');
	strbuf_add(sb, s, n);
	if (cut)
		strbuf_addstr(sb, "…");
	strbuf_addch(sb, '\'');
}


static int
unit_is(const struct side *x, size_t u, enum lexicon_word list)
{
	const struct diff_tok *k = &x->t.v[x->u[u].t0];

	return lexicon_word(list, x->s + k->off, k->len);
}

/* Every unit of [u0, u1) passes f. */
static int
units_all(const struct side *x, size_t u0, size_t u1,
    int (*f)(const struct side *, size_t))
{
	size_t i;

	for (i = u0; i < u1; i++)
		if (!f(x, i))
			return 0;
	return 1;
}

static int
units_any(const struct side *x, size_t u0, size_t u1,
    int (*f)(const struct side *, size_t))
{
	size_t i;

	for (i = u0; i < u1; i++)
		if (f(x, i))
			return 1;
	return 0;
}

/* Every unit of both sides of the hunk passes f / some unit of either. */
static int
hunk_all(const struct side *a, const struct side *b, const struct diff_hunk *h,
    int (*f)(const struct side *, size_t))
{
	return units_all(a, h->a0, h->a1, f) && units_all(b, h->b0, h->b1, f);
}

static int
hunk_any(const struct side *a, const struct side *b, const struct diff_hunk *h,
    int (*f)(const struct side *, size_t))
{
	return units_any(a, h->a0, h->a1, f) || units_any(b, h->b0, h->b1, f);
}

/* Every unit of the hunk passes all, and one at least passes some. */
static int
hunk_all_some(const struct side *a, const struct side *b,
    const struct diff_hunk *h, int (*all)(const struct side *, size_t),
    int (*some)(const struct side *, size_t))
{
	return hunk_all(a, b, h, all) && hunk_any(a, b, h, some);
}

static int
u_function(const struct side *x, size_t u)
{
	return (x->u[u].kind == DIFF_T_WORD || x->u[u].kind == DIFF_T_CJK) &&
	    unit_is(x, u, LEXW_FUNCTION);
}

static int
u_modal(const struct side *x, size_t u)
{
	return unit_is(x, u, LEXW_NEGATION) || unit_is(x, u, LEXW_MODAL);
}

static int cjk_numeral(const struct side *x, size_t t);

static int
u_quantity(const struct side *x, size_t u)
{
	return x->u[u].kind == DIFF_T_NUM || unit_is(x, u, LEXW_QUANTIFIER) ||
	    cjk_numeral(x, x->u[u].t0);	/* "三十日" */
}

static int
u_condition(const struct side *x, size_t u)
{
	return unit_is(x, u, LEXW_CONDITION);
}

static int
u_year(const struct side *x, size_t u)
{
	const struct diff_tok *k = utok(x, u);
	const char *p = x->s + k->off;

	size_t t = x->u[u].t0, i;

	if (x->u[u].kind == U_DATE)
		return 1;
	if (x->u[u].kind != DIFF_T_NUM)
		return 0;
	if (k->len == 4 && (!memcmp(p, "19", 2) || !memcmp(p, "20", 2)))
		return 1;
	/* "07/15/2024", "09/2023": day or month next to a year */
	if (k->len > 2)
		return 0;
	for (i = t > 4 ? t - 4 : 0; i < t + 5 && i < x->t.n; i++) {
		const struct diff_tok *y = &x->t.v[i];

		if (i != t && y->kind == DIFF_T_NUM && y->len == 4 &&
		    (!memcmp(x->s + y->off, "19", 2) || !memcmp(x->s + y->off, "20", 2)))
			return (t > 0 && x->s[x->t.v[t - 1].off] == '/') ||
			    (t + 1 < x->t.n && x->s[x->t.v[t + 1].off] == '/');
	}
	return 0;
}

static int
cjk_numeral(const struct side *x, size_t t)
{
	static const char nums[] = "〇零一二三四五六七八九十百";
	const struct diff_tok *k = &x->t.v[t];
	const char *p;

	if (k->kind != DIFF_T_CJK || k->len != 3)
		return 0;
	p = memmem(nums, sizeof(nums) - 1, x->s + k->off, 3);
	return p && (p - nums) % 3 == 0;
}

/* A number of a reference: "Section 3.2", "Sections D.4 - D.7", "§ 5",
 * "第十条": a section word within a few tokens before it, with only
 * numbers, letters and punctuation between. */
static int
u_crossref(const struct side *x, size_t u)
{
	static const char *const words[] = { "section", "sections", "clause",
		"clauses", "paragraph", "paragraphs", "article", "articles", "§",
		"para", "annex", "schedule", "appendix", "exhibit", "第", "条",
		"part", "chapter", NULL };
	size_t t = x->u[u].t0, back, i;

	if (x->u[u].kind == DIFF_T_CJK && cjk_numeral(x, t)) {
		/* "第十二条": numerals back to 第 */
		while (t > 0 && cjk_numeral(x, t - 1))
			t--;
		return t > 0 && x->t.v[t - 1].len == 3 &&
		    !memcmp(x->s + x->t.v[t - 1].off, "第", 3);
	}
	if (x->u[u].kind != DIFF_T_NUM)
		return 0;
	for (back = 0; t > 0 && back < 8; back++) {
		const struct diff_tok *k = &x->t.v[--t];

		for (i = 0; words[i]; i++)
			if (k->len == strlen(words[i]) &&
			    strncasecmp(x->s + k->off, words[i], k->len) == 0)
				return 1;
		if (!(k->kind == DIFF_T_NUM || k->kind == DIFF_T_PUNCT ||
		    (k->kind == DIFF_T_WORD && k->len == 1) ||
		    (k->len == 3 && !strncasecmp(x->s + k->off, "and", 3)) ||
		    (k->len == 2 && !strncasecmp(x->s + k->off, "to", 2))))
			return 0;
	}
	return 0;
}

static int
u_capitalised(const struct side *x, size_t u)
{
	const struct diff_tok *k = utok(x, u);
	unsigned char c = (unsigned char)x->s[k->off];

	return x->u[u].kind == DIFF_T_WORD && ((c >= 'A' && c <= 'Z') ||
	    lexicon_word(LEXW_LEGAL_FORM, x->s + k->off, k->len));
}

static int
u_legal_form(const struct side *x, size_t u)
{
	return unit_is(x, u, LEXW_LEGAL_FORM);
}

static int u_ident_number(const struct side *x, size_t u);

static int
u_namelike(const struct side *x, size_t u)
{
	return u_capitalised(x, u) || u_ident_number(x, u) ||
	    unit_contactish(x, u) || u_function(x, u);
}

/* A list separator among the tokens of a hunk or right at its edge. */
static int
hunk_has_separator(const struct side *x, size_t u0, size_t u1)
{
	return hunk_edge_has(x, u0, u1, is_list_sep);
}

/* The sentence around units [u0, u1) of x. */
static void
hunk_sentence(const struct side *x, size_t u0, size_t u1, size_t *s0,
    size_t *s1)
{
	unit_span(x, u0, u1, s0, s1);
	sentence(x->s, x->len, s0, s1);
}

/* Does a parenthesis open just before s + i / close at s + i? ASCII
 * or full width. */
static size_t
paren_open_at(const char *s, size_t s0, size_t i)
{
	if (i > s0 && s[i - 1] == '(')
		return 1;
	return i >= s0 + 3 && !memcmp(s + i - 3, "（", 3) ? 3 : 0;
}

static size_t
paren_close_at(const char *s, size_t s1, size_t i)
{
	if (i < s1 && s[i] == ')')
		return 1;
	return i + 3 <= s1 && !memcmp(s + i, "）", 3) ? 3 : 0;
}

/* Is [b0, b1) inside a parenthesis of sentence [s0, s1) that ends its
 * list with "etc." ("(restaurants, lyrics, weather, etc.)", "（…等）"):
 * items named to illustrate, not to define? */
static int
in_etc_aside(const char *s, size_t s0, size_t s1, size_t b0, size_t b1)
{
	size_t o = b0, c = b1;

	while (o > s0 && !paren_open_at(s, s0, o) && s[o - 1] != ')')
		o--;
	while (c < s1 && !paren_close_at(s, s1, c) && s[c] != '(')
		c++;
	if (!paren_open_at(s, s0, o) || !paren_close_at(s, s1, c))
		return 0;
	while (c > o && (s[c - 1] == ' ' || s[c - 1] == '.'))
		c--;
	return c - o >= 3 && (!memcmp(s + c - 3, "etc", 3) ||
	    !memcmp(s + c - 3, "等", 3));
}

/* Does s bind someone once the words of remit are set aside? */
static int
binds_beyond(const char *s, size_t len, const char *const *remit)
{
	char *low = xmalloc(len + 1);
	size_t i, k, n;
	int r;

	for (i = 0; i < len; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	low[len] = '\0';
	for (k = 0; remit[k]; k++)
		for (n = strlen(remit[k]), i = 0; i + n <= len; i++)
			if (!memcmp(low + i, remit[k], n))
				memset(low + i, ' ', n);
	r = lexicon_has(LEX_OPERATIVE, low, len);
	free(low);
	return r;
}

/* "You may contact" and "the processing of personal data" are a
 * representative's remit; "You must contact our representative ... and
 * waive your right to sue" binds beyond it. */
static int
binds_beyond_contact(const char *s, size_t len)
{
	static const char *const remit[] = { "may", "can", "process", "contact",
		"可以", "处理", NULL };

	return binds_beyond(s, len, remit);
}


/* Is the edit [u0, u1) an example: an example marker inside it, or just
 * before it in its sentence ("for example, if you are under 18")? An
 * empty side passes: the other side decides. */
static int
hunk_is_example(const struct side *x, size_t u0, size_t u1)
{
	static const char *const weak[] = { "can", "could", NULL };
	size_t s0, s1, b0, b1, from;

	if (u0 >= u1)
		return 1;
	unit_span(x, u0, u1, &b0, &b1);
	hunk_sentence(x, u0, u1, &s0, &s1);
	from = b0 > s0 + 40 ? b0 - 40 : s0;
	if (lexicon_has(LEX_EXAMPLE, x->s + from, b1 - from))
		return 1;
	/* an illustration in a sentence that binds nobody (what a search
	 * engine "can" do aside), of plain words: "(we will not sell it,
	 * etc.)" and "we collect (name, email, etc.)" are no illustrations */
	return in_etc_aside(x->s, s0, s1, b0, b1) &&
	    !binds_beyond(x->s + s0, s1 - s0, weak) && !units_any(x, u0, u1, u_modal) &&
	    !units_any(x, u0, u1, u_quantity) && !units_any(x, u0, u1, u_condition) &&
	    !memchr(x->s + b0, '(', b1 - b0) && !memchr(x->s + b0, ')', b1 - b0);
}

/* The edit [u0, u1) is page chrome ("Was this page helpful?"). An empty
 * side passes. */
static int
span_is_chrome(const struct side *x, size_t u0, size_t u1)
{
	size_t b0, b1;

	if (u0 >= u1)
		return 1;
	unit_span(x, u0, u1, &b0, &b1);
	return b1 - b0 < 300 && lexicon_has(LEX_CHROME, x->s + b0, b1 - b0);
}

static int
u_conjunction(const struct side *x, size_t u)
{
	return unit_is(x, u, LEXW_CONJUNCTION);
}

static int
contact_cue(const char *s, size_t len)
{
	return lexicon_has(LEX_CONTACT_CUE, s, len);
}

/* A credit for the template the text was made from ("This policy is
 * based on the Creative Commons licensed policy by X"): its "licensed"
 * grants nothing. */
static int
attribution(const char *s, size_t len)
{
	return lexicon_has(LEX_DERIVED, s, len) && lexicon_has(LEX_TEMPLATE, s, len);
}

/* A sentence that binds someone: an operative marker, and not a mere
 * pointer to other reading ("Please read X for more information") or a
 * template's credit. */
static int
binding(const char *s, size_t len)
{
	return lexicon_has(LEX_OPERATIVE, s, len) &&
	    !lexicon_has(LEX_POINTER, s, len) && !attribution(s, len);
}

/* Does test pass on the sentence around the hunk, on either side? */
static int
hunk_sentences(const struct side *a, const struct side *b,
    const struct diff_hunk *h, int (*test)(const char *, size_t))
{
	size_t s0, s1;

	hunk_sentence(a, h->a0, h->a1, &s0, &s1);
	if (test(a->s + s0, s1 - s0))
		return 1;
	hunk_sentence(b, h->b0, h->b1, &s0, &s1);
	return test(b->s + s0, s1 - s0);
}

/* Inside "[...]" on its line: a reference link's label ("[x][label]"). */
static int
in_brackets(const struct side *x, size_t u)
{
	size_t off = utok(x, u)->off, i;

	for (i = off; i > 0 && off - i < 100; i--) {
		char c = x->s[i - 1];

		if (c == ']' || c == '\n')
			return 0;
		if (c == '[')
			break;
	}
	if (i == 0 || off - i >= 100)
		return 0;
	for (i = off; i < x->len && i - off < 100; i++) {
		if (x->s[i] == '[' || x->s[i] == '\n')
			return 0;
		if (x->s[i] == ']')
			return 1;
	}
	return 0;
}

static int
u_route(const struct side *x, size_t u)
{
	return unit_is(x, u, LEXW_ROUTE);
}

static int
u_linkish(const struct side *x, size_t u)
{
	return unit_contactish(x, u) || in_brackets(x, u) || u_function(x, u) ||
	    u_route(x, u);
}


/* Does a currency sign end at s + i ("$500", "€ 500")? */
static int
is_currency_sign(const char *s, size_t i)
{
	ucs4_t c;

	while (i > 0 && s[i - 1] == ' ')
		i--;
	if (!i)
		return 0;
	text_u8_prev(s, i, &c);
	return c == '$' || c == 0x20ac || c == 0xa3 || c == 0xa5 || c == 0xffe5;
}

/* A number that names rather than counts: a street number next to a
 * capitalised word, a postcode or phone number, an id of five digits or
 * more; never one followed by a unit of time or money. */
static int
u_ident_number(const struct side *x, size_t u)
{
	const struct diff_tok *k = utok(x, u);
	size_t t = x->u[u].t1;

	if (x->u[u].kind == DIFF_T_WORD && k->len && x->s[k->off] >= '0' &&
	    x->s[k->off] <= '9')
		return 1;	/* "3H", "22a": a house number */
	if (x->u[u].kind != DIFF_T_NUM)
		return 0;
	if (t < x->t.n && (lexicon_word(LEXW_TIME_UNIT, x->s + x->t.v[t].off,
	    x->t.v[t].len) || lexicon_word(LEXW_CURRENCY, x->s + x->t.v[t].off,
	    x->t.v[t].len) || x->s[x->t.v[t].off] == '%'))
		return 0;	/* "30 days", "500 EUR", "10%": it counts */
	if (k->off > 0 && is_currency_sign(x->s, k->off))
		return 0;
	if (t < x->t.n && lexicon_word(LEXW_HOUSE, x->s + x->t.v[t].off,
	    x->t.v[t].len))
		return 1;	/* "1号", "12层": a house or floor number */
	/* a run of three numbers is a phone number or a postcode */
	return k->len >= 5 || (u > 0 && u_capitalised(x, u - 1)) ||
	    (u + 1 < x->nu && u_capitalised(x, u + 1)) ||
	    (u > 0 && u + 1 < x->nu && x->u[u - 1].kind == DIFF_T_NUM &&
	    x->u[u + 1].kind == DIFF_T_NUM) ||
	    (u > 1 && x->u[u - 1].kind == DIFF_T_NUM &&
	    x->u[u - 2].kind == DIFF_T_NUM) ||
	    (u + 2 < x->nu && x->u[u + 1].kind == DIFF_T_NUM &&
	    x->u[u + 2].kind == DIFF_T_NUM);
}

static int
u_address(const struct side *x, size_t u)
{
	return u_ident_number(x, u) || u_capitalised(x, u) || u_function(x, u) ||
	    unit_contactish(x, u) || (x->u[u].kind == DIFF_T_WORD &&
	    utok(x, u)->len == 1);	/* "c/o" */
}


/* A number at the very start of a clause or heading: its numbering. */
static int
u_numbering(const struct side *x, size_t u)
{
	size_t off = utok(x, u)->off, i;

	if (x->u[u].kind != DIFF_T_NUM || off > 8)
		return 0;
	for (i = 0; i < off; i++)
		if (!(x->s[i] && strchr("*#_ \\.([", x->s[i])) && !(x->s[i] >= '0' && x->s[i] <= '9'))
			return 0;
	return 1;
}

static int
u_capitalised_or_function(const struct side *x, size_t u)
{
	return u_capitalised(x, u) || u_function(x, u);
}

/* [*b0, *b1) of s without the spaces and Markdown marks around it: a
 * sentence moved out of "**14. Title.** Text" is "Text" where it went. */
static void
trim_marks(const char *s, size_t *b0, size_t *b1)
{
	while (*b0 < *b1 && s[*b0] && strchr(" \n*_#", s[*b0]))
		(*b0)++;
	while (*b1 > *b0 && s[*b1 - 1] && strchr(" \n*_#", s[*b1 - 1]))
		(*b1)--;
}


/* Text of [u0, u1) of x found in other: moved there, or a duplicate. A
 * short phrase ("or any third party") may recur by chance: not below
 * 30 bytes. */
static int
span_elsewhere(const struct side *x, size_t u0, size_t u1, const char *other,
    size_t olen)
{
	size_t b0, b1;

	size_t i, found = 0;

	if (u0 >= u1)
		return 1;
	if (!other)
		return 0;
	unit_span(x, u0, u1, &b0, &b1);
	/* a heading's words ("Disclaimer of Warranties") are distinctive
	 * enough from 12 bytes on; names taken from a list ("China, Hong
	 * Kong, Macau") are its items, wherever else they stand */
	if (b1 - b0 < 30 && !(b1 - b0 >= 12 &&
	    units_all(x, u0, u1, u_capitalised_or_function) &&
	    !hunk_has_separator(x, u0, u1)))
		return 0;
	if (memmem(other, olen, x->s + b0, b1 - b0))
		return 1;
	/* sentence by sentence: a paragraph break or a heading between
	 * them may have moved; a short piece must not carry a modal */
	for (i = b0; i < b1;) {
		size_t p0 = i, p1 = i, n;

		sentence(x->s, b1, &p0, &p1);
		if (p1 <= i)
			p1 = b1;
		i = p1;
		trim_marks(x->s, &p0, &p1);
		n = p1 - p0;
		if (n >= 20 && memmem(other, olen, x->s + p0, n))
			found++;
		else if (n >= 20 || lexicon_has(LEX_OPERATIVE, x->s + p0, n))
			return 0;
	}
	return found > 0;
}

/* Is a company's legal form ("GmbH", "S.A R.L", "B.V.") among the few
 * units from u on? Then the name before it is a legal entity. */
static int
names_entity(const struct side *x, size_t u)
{
	size_t i;

	for (i = u; i < x->nu && i < u + 3; i++) {
		const struct diff_tok *k = utok(x, i);

		if (u_legal_form(x, i) || (x->u[i].kind == DIFF_T_WORD &&
		    k->len == 1 && x->s[k->off] >= 'A' && x->s[k->off] <= 'Z'))
			return 1;
	}
	return 0;
}

/* A hunk that may be a rename: names of 1 to 4 units a side, no modal,
 * negation, quantity, condition or deontic word. Fills its two spans. */
static int
rename_candidate(const struct side *a, const struct side *b,
    const struct diff_hunk *h, size_t *a0, size_t *a1, size_t *b0, size_t *b1)
{
	size_t na = h->a1 - h->a0, nb = h->b1 - h->b0;

	if (na < 1 || na > 4 || nb < 1 || nb > 4)
		return 0;
	if (hunk_any(a, b, h, u_modal) || hunk_any(a, b, h, u_quantity) ||
	    hunk_any(a, b, h, u_condition) || hunk_all(a, b, h, u_function))
		return 0;
	unit_span(a, h->a0, h->a1, a0, a1);
	unit_span(b, h->b0, h->b1, b0, b1);
	if (lexicon_has(LEX_OPERATIVE, a->s + *a0, *a1 - *a0) ||
	    lexicon_has(LEX_OPERATIVE, b->s + *b0, *b1 - *b0))
		return 0;
	/* a name for a name ("Open Data Map" -> "Crunchbase Basic"); a common
	 * noun may change a kind ("advertisers" -> "partners"), and a company
	 * for a company ("Acme GmbH" -> "Globex GmbH") changes a party */
	return units_all(a, h->a0, h->a1, u_capitalised_or_function) &&
	    units_all(b, h->b0, h->b1, u_capitalised_or_function) &&
	    !names_entity(a, h->a1) && !names_entity(b, h->b1) &&
	    !units_any(a, h->a0, h->a1, u_legal_form) &&
	    !units_any(b, h->b0, h->b1, u_legal_form);
}

/* The index of substitution old -> new in r, or r->n. */
static size_t
rename_find(const struct edit_renames *r, const char *old, size_t ol,
    const char *new, size_t nl)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (strlen(r->v[k].old) == ol && !memcmp(r->v[k].old, old, ol) &&
		    strlen(r->v[k].new) == nl && !memcmp(r->v[k].new, new, nl))
			break;
	return k;
}

static int
hunk_is_global_rename(const struct side *a, const struct side *b,
    const struct diff_hunk *h, const struct edit_renames *r)
{
	size_t a0, a1, b0, b1;

	if (!r || !r->n || !rename_candidate(a, b, h, &a0, &a1, &b0, &b1))
		return 0;
	return rename_find(r, a->s + a0, a1 - a0, b->s + b0, b1 - b0) < r->n;
}

/* Distinct substitutions kept: a document renames a few names; a page
 * of thousands of different ones is no rename and must not cost
 * thousands squared. */
#define RENAMES_MAX 256

void
edit_renames_collect(struct edit_renames *r, const char *at, size_t alen,
    const char *bt, size_t blen)
{
	struct side a, b;
	struct diff_hunks h;
	uint32_t *ka, *kb;
	size_t i, k, a0, a1, b0, b1;

	side_init(&a, at, alen);
	side_init(&b, bt, blen);
	ka = unit_keys(&a);
	kb = unit_keys(&b);
	diff_seq(ka, a.nu, kb, b.nu, 0, &h);
	for (i = 0; i < h.n; i++) {
		if (!rename_candidate(&a, &b, &h.v[i], &a0, &a1, &b0, &b1))
			continue;
		k = rename_find(r, at + a0, a1 - a0, bt + b0, b1 - b0);
		if (k == r->n && r->n >= RENAMES_MAX)
			continue;
		if (k == r->n) {
			ALLOC_GROW(r->v, r->n + 1, r->alloc);
			r->v[r->n].old = xstrndup(at + a0, a1 - a0);
			r->v[r->n].new = xstrndup(bt + b0, b1 - b0);
			r->v[r->n++].n = 0;
		}
		r->v[k].n++;
	}
	diff_hunks_free(&h);
	free(ka);
	free(kb);
	side_free(&a);
	side_free(&b);
}

/* Does s have word w (not inside a longer word)? */
static int
has_word(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w);
	const char *p = s, *e = s + len;

	while ((p = memmem(p, (size_t)(e - p), w, wl)) != NULL) {
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    (p + wl == e || !isalnum((unsigned char)p[wl])))
			return 1;
		p++;
	}
	return 0;
}

void
edit_renames_settle(struct edit_renames *r, const char *b, size_t blen)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].n >= 2 && !has_word(b, blen, r->v[i].old)) {
			r->v[k++] = r->v[i];
			continue;
		}
		free(r->v[i].old);
		free(r->v[i].new);
	}
	r->n = k;
}

void
edit_renames_free(struct edit_renames *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].old);
		free(r->v[i].new);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int
address_cue(const char *s, size_t len)
{
	return lexicon_has(LEX_ADDRESS_CUE, s, len);
}

/* A number that counts (an amount, a period), not one that names. */
static int
u_counting_number(const struct side *x, size_t u)
{
	return (x->u[u].kind == DIFF_T_NUM && !u_ident_number(x, u)) ||
	    unit_is(x, u, LEXW_QUANTIFIER) || cjk_numeral(x, x->u[u].t0);
}

/* An address replaced by another, in the words of any language ("Ronda
 * circunvalación, 188, 12003 Castelló" -> "Calle Guillem de Castro 9,
 * 46007 Valencia", the diff cutting it where it likes): a naming number
 * on one side at least, in a sentence that says it is an address, and
 * nothing a party must, may or gets. */
static int
hunk_is_address_moved(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	size_t a0, a1, b0, b1;

	if (!hunk_any(a, b, h, u_ident_number) ||
	    hunk_any(a, b, h, u_modal) || hunk_any(a, b, h, u_condition) ||
	    hunk_any(a, b, h, u_counting_number) ||
	    !hunk_sentences(a, b, h, address_cue))
		return 0;
	unit_span(a, h->a0, h->a1, &a0, &a1);
	unit_span(b, h->b0, h->b1, &b0, &b1);
	return !lexicon_has(LEX_OPERATIVE, a->s + a0, a1 - a0) &&
	    !lexicon_has(LEX_OPERATIVE, b->s + b0, b1 - b0);
}

/* Editorial classes of one hunk of a modified clause, or EDIT_NONE. */
static enum edit_class
hunk_editorial(const struct side *a, const struct side *b,
    const struct diff_hunk *h, const struct edit_texts *w)
{
	size_t na = h->a1 - h->a0, nb = h->b1 - h->b0;

	if (hunk_is_typo(a, b, h))
		return EDIT_TYPO;
	if (hunk_is_anchor(a, b, h) || hunk_is_abbreviation(a, b, h))
		return EDIT_ORTHO;
	/* a link, an address or a reference changed its form: every unit
	 * link-like, a link or address on one side at least */
	if (hunk_is_contact(a, b, h) ||
	    hunk_all_some(a, b, h, u_linkish, unit_contactish))
		return EDIT_LINK;
	if (hunk_all(a, b, h, u_numbering))
		return EDIT_CROSSREF;
	/* "and" -> "or" turns a condition around: not a function word */
	if (hunk_all(a, b, h, u_function) &&
	    !(na == 1 && nb == 1 && u_conjunction(a, h->a0) &&
	    u_conjunction(b, h->b0)))
		return EDIT_FUNCTION;
	if (span_is_chrome(a, h->a0, h->a1) && span_is_chrome(b, h->b0, h->b1))
		return EDIT_CHROME;
	if (hunk_is_example(a, h->a0, h->a1) && hunk_is_example(b, h->b0, h->b1))
		return EDIT_EXAMPLE;
	if (hunk_all(a, b, h, u_year))
		return EDIT_DATE;
	if (hunk_all(a, b, h, u_crossref))
		return EDIT_CROSSREF;
	if ((na || nb) && span_elsewhere(a, h->a0, h->a1, w->b, w->blen) &&
	    span_elsewhere(b, h->b0, h->b1, w->a, w->alen))
		return EDIT_MOVED;
	if (hunk_any(a, b, h, u_modal))
		return EDIT_NONE;
	if (hunk_is_global_rename(a, b, h, w->renames))
		return EDIT_RENAME;
	/* an address or phone number rewritten: names and naming numbers
	 * only, a number among them */
	if (hunk_all_some(a, b, h, u_address, u_ident_number) ||
	    hunk_is_address_moved(a, b, h))
		return EDIT_CONTACT;
	if (hunk_all(a, b, h, u_namelike) && hunk_sentences(a, b, h, contact_cue))
		return EDIT_CONTACT;
	/* a name edited in place; a new name in a list is a party, and so is
	 * another company behind a legal form ("X GmbH" -> "Y GmbH") */
	if (hunk_all(a, b, h, u_legal_form))
		return EDIT_RENAME;	/* "Inc" -> "ULC": the same company */
	if (hunk_all(a, b, h, u_capitalised) && (na || nb) &&
	    !hunk_has_separator(a, h->a0, h->a1) &&
	    !hunk_has_separator(b, h->b0, h->b1) &&
	    !hunk_in_table(a, h->a0, h->a1) && !hunk_in_table(b, h->b0, h->b1)) {
		if (!names_entity(a, h->a1) && !names_entity(b, h->b1))
			return EDIT_RENAME;
	}
	return EDIT_NONE;
}

/* Does the company's form follow the edit [u0, u1) right away ("…有限公司",
 * "…集团")? Chinese names have no capitals: the edit names another
 * company. */
static int
before_cjk_company(const struct side *x, size_t u0, size_t u1)
{
	static const char *const form[] = { "有限公司", "股份", "公司", "集团",
		NULL };
	size_t b0, b1, i;

	unit_span(x, u0, u1, &b0, &b1);
	for (i = 0; form[i]; i++)
		if (x->len - b1 >= strlen(form[i]) &&
		    !memcmp(x->s + b1, form[i], strlen(form[i])))
			return 1;
	return 0;
}

/* Operative element of a hunk that is not editorial. */
static enum edit_class
hunk_operative(const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	if (hunk_any(a, b, h, u_condition))
		return EDIT_CONDITION;
	if (hunk_any(a, b, h, u_modal))
		return EDIT_MODAL;
	if (hunk_any(a, b, h, u_quantity))
		return EDIT_QUANTITY;
	if (units_any(a, h->a0, h->a1, u_capitalised) &&
	    units_any(b, h->b0, h->b1, u_legal_form))
		return EDIT_PARTY;
	if (before_cjk_company(a, h->a0, h->a1) ||
	    before_cjk_company(b, h->b0, h->b1))
		return EDIT_PARTY;	/* "示例科技有限公司" -> "示例网络有限公司" */
	if (hunk_in_table(a, h->a0, h->a1) || hunk_in_table(b, h->b0, h->b1))
		return EDIT_ITEM;
	if (!hunk_sentences(a, b, h, binding))
		return EDIT_DESCRIPTIVE;
	if (hunk_has_separator(a, h->a0, h->a1) ||
	    hunk_has_separator(b, h->b0, h->b1))
		return EDIT_ITEM;
	return EDIT_TERMS;
}


static void
ctx_add(struct edit_verdict *v, const char *s, size_t n)
{
	if (v->ctx.len)
		strbuf_addch(&v->ctx, '\n');
	strbuf_add(&v->ctx, s, n);
}

/* What the units [u0, u1) of one side hold: numbers, a time period, a
 * negation, a modal verb. */
static void
scan_units(const struct side *x, size_t u0, size_t u1, int *num, int *period,
    int *neg, int *modal)
{
	size_t i;

	for (i = u0; i < u1; i++) {
		if (x->u[i].kind == DIFF_T_NUM) {
			*num = 1;
			if (x->u[i].t1 < x->t.n) {
				const struct diff_tok *k = &x->t.v[x->u[i].t1];

				if (lexicon_word(LEXW_TIME_UNIT, x->s + k->off, k->len))
					*period = 1;
			}
		}
		*neg |= lexicon_word(LEXW_NEGATION, x->s + utok(x, i)->off, utok(x, i)->len);
		*modal |= lexicon_word(LEXW_MODAL, x->s + utok(x, i)->off, utok(x, i)->len);
	}
}

static void
describe_hunk(struct strbuf *why, const struct side *a, const struct side *b,
    const struct diff_hunk *h)
{
	size_t a0, a1, b0, b1;
	int num = 0, period = 0, neg = 0, modal = 0;

	scan_units(a, h->a0, h->a1, &num, &period, &neg, &modal);
	scan_units(b, h->b0, h->b1, &num, &period, &neg, &modal);
	if (period)
		strbuf_addstr(why, "a time period changed");
	else if (num)
		strbuf_addstr(why, "a number changed");
	else if (neg)
		strbuf_addstr(why, "a negation changed");
	else if (modal)
		strbuf_addstr(why, "an obligation (modal verb) changed");
	else if (h->a0 == h->a1)
		strbuf_addstr(why, "words added");
	else if (h->b0 == h->b1)
		strbuf_addstr(why, "words removed");
	else
		strbuf_addstr(why, "wording changed");
	unit_span(a, h->a0, h->a1, &a0, &a1);
	unit_span(b, h->b0, h->b1, &b0, &b1);
	strbuf_addstr(why, ": ");
	if (a1 > a0)
		quote(why, a->s + a0, a1 - a0);
	if (a1 > a0 && b1 > b0)
		strbuf_addstr(why, " → ");
	if (b1 > b0) {
		if (a1 == a0)
			strbuf_addstr(why, "+");
		quote(why, b->s + b0, b1 - b0);
	} else {
		strbuf_addstr(why, " deleted");
	}
}

/* Categories and matching context of one substantive hunk. */
static void
hunk_context(const struct side *a, const struct side *b,
    const struct diff_hunk *k, struct edit_verdict *v, unsigned *cats,
    unsigned *core)
{
	size_t a0, a1, b0, b1, s0, s1;

	unit_span(a, k->a0, k->a1, &a0, &a1);
	unit_span(b, k->b0, k->b1, &b0, &b1);
	*core |= lexicon_categories(a->s + a0, a1 - a0);
	*core |= lexicon_categories(b->s + b0, b1 - b0);
	s0 = b0; s1 = b1;
	sentence(b->s, b->len, &s0, &s1);
	*cats |= lexicon_categories(b->s + s0, s1 - s0);
	ctx_add(v, b->s + s0, s1 - s0);
	s0 = a0; s1 = a1;
	sentence(a->s, a->len, &s0, &s1);
	*cats |= lexicon_categories(a->s + s0, s1 - s0);
	ctx_add(v, a->s + s0, s1 - s0);
}

/* "editorial: typo fix 'a' → 'b'", or the classes found. */
static void
describe_editorial(struct strbuf *why, const struct side *a,
    const struct side *b, const struct diff_hunks *h, const size_t *count)
{
	size_t i;
	int e, first = 1;

	strbuf_addstr(why, "editorial: ");
	for (e = EDIT_TYPO; e < EDIT_DESCRIPTIVE; e++) {
		if (!count[e])
			continue;
		if (!first)
			strbuf_addstr(why, ", ");
		first = 0;
		if (e == EDIT_TYPO)
			strbuf_addstr(why, count[e] > 1 ? "typo fixes" : "typo fix");
		else
			strbuf_addstr(why, edit_class_names[e]);
	}
	if (first)
		strbuf_addstr(why, "no word changed");
	for (i = 0; i < h->n && count[EDIT_TYPO] == 1; i++)
		if (hunk_is_typo(a, b, &h->v[i])) {
			const struct diff_tok *x = utok(a, h->v[i].a0);
			const struct diff_tok *y = utok(b, h->v[i].b0);

			strbuf_addstr(why, " ");
			quote(why, a->s + x->off, x->len);
			strbuf_addstr(why, " → ");
			quote(why, b->s + y->off, y->len);
		}
}

/* Class every hunk; the verdict follows the weightiest one: operative,
 * else descriptive, else editorial. */
static void
classify_hunks(const struct side *a, const struct side *b,
    const struct diff_hunks *h, const char *heading, const struct edit_texts *w,
    struct edit_verdict *v)
{
	size_t count[EDIT_PROVISION + 1] = { 0 }, i, lead_size = 0, nop = 0;
	const struct diff_hunk *lead = NULL;
	enum edit_class lead_cls = EDIT_NONE;
	unsigned cats = 0, core = 0;

	for (i = 0; i < h->n; i++) {
		const struct diff_hunk *k = &h->v[i];
		enum edit_class e = hunk_editorial(a, b, k, w);
		size_t size = k->a1 - k->a0 + k->b1 - k->b0;
		int op;

		if (e == EDIT_NONE)
			e = hunk_operative(a, b, k);
		count[e]++;
		if (e < EDIT_DESCRIPTIVE)
			continue;
		op = e >= EDIT_FIRST_OPERATIVE;
		nop += op;
		/* the reason quotes the largest edit of the weightiest kind */
		if (!lead || (op && lead_cls < EDIT_FIRST_OPERATIVE) ||
		    (op == (lead_cls >= EDIT_FIRST_OPERATIVE) && size > lead_size)) {
			lead = k;
			lead_size = size;
			lead_cls = e;
		}
		if (op || !nop)
			hunk_context(a, b, k, v, &cats, &core);
	}
	if (!lead && h->truncated) {
		/* a whole rewritten clause binds when any of it does */
		v->cls = lexicon_has(LEX_OPERATIVE, b->s, b->len) ||
		    lexicon_has(LEX_OPERATIVE, a->s, a->len) ? EDIT_TERMS : EDIT_DESCRIPTIVE;
		v->operative = v->cls >= EDIT_FIRST_OPERATIVE;
		strbuf_addstr(&v->why, "substantive: clause rewritten");
		v->cats = v->core = lexicon_categories(b->s, b->len);
		ctx_add(v, b->s, b->len);
		if (heading)
			ctx_add(v, heading, strlen(heading));
		return;
	}
	if (!lead) {
		v->editorial = 1;
		v->contact_only = count[EDIT_LINK] + count[EDIT_CONTACT] > 0;
		if (v->contact_only)
			v->cats = C(CONTACT);
		describe_editorial(&v->why, a, b, h, count);
		return;
	}
	v->cls = lead_cls;
	v->operative = nop > 0;
	strbuf_addf(&v->why, "substantive (%s): ", edit_class_names[lead_cls]);
	describe_hunk(&v->why, a, b, lead);
	if (nop > 1)
		strbuf_addf(&v->why, " (and %zu more)", nop - 1);
	cats |= core;
	if (!core)
		core = cats & ~C(DATA_TYPES);
	/* the heading is context when the sentence names no practice,
	 * and for a table row or a short list item, which is no sentence
	 * ("Sentry | Error monitoring | USA" under "Sub-processors") */
	if (heading && (b->len < 160 || memchr(b->s, '|', b->len)))
		cats |= lexicon_categories(heading,
		    strlen(heading)) & ~(C(CONTACT) | C(SCOPE));
	if (!(cats & ~(C(CONTACT) | C(SCOPE))) && heading) {
		cats |= lexicon_categories(heading, strlen(heading));
		if (!core)
			core = cats;
	}
	v->cats = cats;
	v->core = core;
	if (heading)
		ctx_add(v, heading, strlen(heading));
}

void
edit_modified(const char *at, size_t alen, const char *bt, size_t blen,
    const char *heading, const struct edit_texts *w, struct edit_verdict *v)
{
	struct side a, b;
	struct diff_hunks h;
	uint32_t *ka, *kb;
	size_t i;

	side_init(&a, at, alen);
	side_init(&b, bt, blen);
	v->editorial = 0;
	v->cats = 0;
	v->contact_only = 0;

	/* every token, then the units with and without their dates */
	if (a.t.n == b.t.n) {
		int exact = 1, keys = 1;

		for (i = 0; i < a.t.n && (exact || keys); i++) {
			const struct diff_tok *ta = &a.t.v[i], *tb = &b.t.v[i];

			exact &= ta->len == tb->len &&
			    !memcmp(at + ta->off, bt + tb->off, ta->len);
			keys &= ta->key == tb->key && diff_tok_same(at, ta, bt, tb);
		}
		if (exact || keys) {
			v->editorial = 1;
			strbuf_addstr(&v->why, exact ? "editorial: whitespace only" :
			    "editorial: capitalisation, full-width/half-width forms or link parameters only");
			goto out;
		}
	}
	if (same_words(&a, &b, 1)) {
		v->editorial = 1;
		strbuf_addstr(&v->why, "editorial: punctuation only");
		goto out;
	}
	if (same_words(&a, &b, 0)) {
		v->editorial = 1;
		strbuf_addstr(&v->why, "editorial: only a date changed");
		goto out;
	}
	ka = unit_keys(&a);
	kb = unit_keys(&b);
	if (same_items(&a, &b, ka, kb)) {
		free(ka);
		free(kb);
		v->editorial = 1;
		strbuf_addstr(&v->why, "editorial: list items re-ordered, text unchanged");
		goto out;
	}
	diff_seq(ka, a.nu, kb, b.nu, 0, &h);
	free(ka);
	free(kb);
	confirm_matches(&a, &b, &h);
	classify_hunks(&a, &b, &h, heading, w, v);
	diff_hunks_free(&h);
out:
	side_free(&a);
	side_free(&b);
}

/* The next sentence of t from *i: [*b0, *b1), *i moved past it; 0 at
 * the end. */
static int
next_sentence(const char *t, size_t len, size_t *i, size_t *b0, size_t *b1)
{
	if (*i >= len)
		return 0;
	*b0 = *b1 = *i;
	sentence(t, len, b0, b1);
	if (*b1 <= *i)
		*b1 = len;
	*i = *b1;
	return 1;
}

/* Is every sentence of t (of some length) also somewhere in other? Then
 * the clause was moved, or was a duplicate and is gone. Fills *rest with
 * the byte count of the sentences that are not. */
static int
already_there(const char *t, size_t len, const char *other, size_t olen,
    size_t *rest)
{
	size_t i = 0, n, found = 0, b0, b1;

	*rest = 0;
	while (next_sentence(t, len, &i, &b0, &b1)) {
		trim_marks(t, &b0, &b1);
		n = b1 - b0;
		if (n >= 20 && other && memmem(other, olen, t + b0, n))
			found += n;
		else if (n >= 20 || (n && !other))
			*rest += n;
	}
	return found > 0 && *rest == 0;
}

/* Operative sentences of t that the other version does not have. */
static int
new_provision(const char *t, size_t len, const char *other, size_t olen)
{
	size_t i = 0, b0, b1;

	while (next_sentence(t, len, &i, &b0, &b1))
		if (!(other && b1 - b0 >= 20 && memmem(other, olen, t + b0, b1 - b0)) &&
		    binding(t + b0, b1 - b0))
			return 1;
	return 0;
}

/* A line of its own that is only a heading: "**Privacy**", "## Fees". */
static int
is_heading_line(const char *t, size_t len)
{
	if (len > 150 || memchr(t, '\n', len))
		return 0;
	if (t[0] == '#')
		return 1;
	return len > 4 && !memcmp(t, "**", 2) && !memcmp(t + len - 2, "**", 2) &&
	    !memmem(t + 2, len - 4, "**", 2);
}

/* An item of a list or a table row: short, and ends like one. */
static int
is_item(const char *t, size_t len)
{
	char e = len ? t[len - 1] : 0;

	/* a list's continuation starts in lower case ("adhere to ...") */
	if (len && t[0] >= 'a' && t[0] <= 'z')
		return 1;
	return memchr(t, '|', len) || (len < 300 && (e == ';' || e == ',' ||
	    (len > 4 && (!memcmp(t + len - 4, " and", 4) ||
	    !memcmp(t + len - 3, " or", 3))) || !memcmp(t, "- ", 2) ||
	    !memcmp(t, "* ", 2) || (len >= 3 && !memcmp(t + len - 3, "；", 3))));
}

/* A sentence about the provider's representative or data protection
 * officer: who was designated, how to reach them. Contact details, even
 * with "may contact" or "the processing of personal data" in it. */
static int
names_representative(const char *s, size_t len)
{
	return lexicon_has(LEX_REPRESENTATIVE, s, len) &&
	    lexicon_has(LEX_DESIGNATE, s, len) && !lexicon_has(LEX_AGENT, s, len) &&
	    !binds_beyond_contact(s, len);
}

/* Does test pass on every sentence of t? */
static int
all_sentences(const char *t, size_t len, int (*test)(const char *, size_t))
{
	size_t i = 0, n = 0, b0, b1;

	while (next_sentence(t, len, &i, &b0, &b1)) {
		trim_marks(t, &b0, &b1);
		if (b1 <= b0)
			continue;
		if (!test(t + b0, b1 - b0))
			return 0;
		n++;
	}
	return n > 0;
}

/* Editorial classes of a clause added or removed as a whole. */
static enum edit_class
whole_editorial(const struct side *x, const char *label, const char *heading,
    int parent, const char *other, size_t olen)
{
	size_t i, dates = 0, contact = 0, rest;
	const char *t = x->s, *last = heading, *q;
	size_t len = x->len;

	while (last && (q = strstr(last, " > ")))
		last = q + 3;

	for (i = 0; i < x->nu; i++) {
		dates += x->u[i].kind == U_DATE;
		contact += unit_contactish(x, i);
	}
	if (x->nu == 0)
		return EDIT_ORTHO;
	/* "Last updated: 1 March 2026" */
	if (dates && x->nu <= dates + 3 &&
	    (lexicon_categories(t, len) & ~(C(SCOPE) | C(CHANGE_PROCEDURE))) == 0)
		return EDIT_DATE;
	if (len < 600 && lexicon_has(LEX_ANNOUNCE, t, len) &&
	    !lexicon_has(LEX_CHROME, t, len))
		return EDIT_ANNOUNCE;
	if ((heading && lexicon_has(LEX_CHROME, heading, strlen(heading))) ||
	    (len < 300 && lexicon_has(LEX_CHROME, t, len)))
		return EDIT_CHROME;
	if (already_there(t, len, other, olen, &rest))
		return EDIT_MOVED;
	/* a clause labelled by its own text is a heading ("npm collects
	 * data about ..."), when it is no full sentence */
	/* a short line with clauses under it titles them */
	if ((parent && len < 150 && t[len - 1] != '.' && !binding(t, len)) ||
	    is_heading_line(t, len) || (last && len < 150 &&
	    memmem(last, strlen(last), t, len)) || (label && *label && len < 150 &&
	    !strncmp(t, label, strlen(label)) && t[len - 1] != '.'))
		return EDIT_HEADING;
	if (contact && contact + 3 >= x->nu)
		return EDIT_LINK;
	if (units_all(x, 0, x->nu, u_address) &&
	    units_any(x, 0, x->nu, u_ident_number))
		return EDIT_CONTACT;
	if (lexicon_has(LEX_CONTACT_CUE, t, len) && !lexicon_has(LEX_OPERATIVE, t, len))
		return EDIT_CONTACT;
	if (all_sentences(t, len, names_representative))
		return EDIT_CONTACT;
	return EDIT_NONE;
}

/* Does x name a company ("Blacklane Havn UK Ltd": capitalised words
 * before a legal form) that the other version does not? A new party,
 * controller or recipient, even in a sentence that only points to it. */
static int
new_entity(const struct side *x, const char *other, size_t olen)
{
	size_t i, k, b0, b1;

	for (i = 1; i < x->nu; i++) {
		if (!u_legal_form(x, i) || !u_capitalised(x, i - 1) ||
		    u_legal_form(x, i - 1))
			continue;
		for (k = i - 1; k > 0 && u_capitalised(x, k - 1); k--)
			;
		unit_span(x, k, i + 1, &b0, &b1);
		if (!other || !memmem(other, olen, x->s + b0, b1 - b0))
			return 1;
	}
	return 0;
}

/* A clause added or removed as a whole; other is the whole text of the
 * other version, where a moved or duplicated clause is found. */
void
edit_whole(const struct clause_list *cl, size_t idx, const char *t,
    size_t len, int added, const char *other, size_t olen, struct edit_verdict *v)
{
	struct side x;
	enum edit_class e;
	const char *heading = cl->v[idx].heading;
	int parent = idx + 1 < cl->n && cl->v[idx + 1].level > cl->v[idx].level;

	side_init(&x, t, len);
	v->editorial = 0;
	v->contact_only = 0;
	e = whole_editorial(&x, cl->v[idx].label, cl->v[idx].heading, parent,
	    other, olen);
	if (e != EDIT_NONE) {
		v->editorial = 1;
		v->cls = e;
		v->contact_only = e == EDIT_LINK || e == EDIT_CONTACT;
		if (v->contact_only)
			v->cats = C(CONTACT);
		strbuf_addf(&v->why, "editorial: %s", edit_class_names[e]);
		goto out;
	}
	/* a short clause that points elsewhere ("Please read X for more
	 * information") binds nobody, however its URLs split it up */
	if (new_entity(&x, other, olen))
		v->cls = EDIT_PARTY;
	else if (new_provision(t, len, other, olen) &&
	    !(len < 600 && lexicon_has(LEX_POINTER, t, len)))
		v->cls = EDIT_PROVISION;
	else if (is_item(t, len))
		v->cls = EDIT_ITEM;
	else
		v->cls = EDIT_DESCRIPTIVE;
	v->operative = v->cls >= EDIT_FIRST_OPERATIVE;
	strbuf_addf(&v->why, "substantive (%s): clause %s", edit_class_names[v->cls],
	    added ? "added" : "removed");
	v->cats = lexicon_categories(t, len);
	if (!v->cats && heading)
		v->cats = lexicon_categories(heading, strlen(heading));
	v->core = v->cats;
	ctx_add(v, t, len);
	if (heading)
		ctx_add(v, heading, strlen(heading));
out:
	side_free(&x);
}

