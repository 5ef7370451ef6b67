/* judge: what changed between two versions, and does it matter.
 *
 * Clauses are aligned (diff_align), each changed clause is word-diffed on
 * canonical tokens (case, width, punctuation and dates folded away), and
 * every remaining hunk is either a typo fix / link clean-up (editorial) or
 * substantive. Substantive changes get categories from the lexicon, then
 * materiality: the document's own list of material changes first, the
 * documented default list second. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#include "clause.h"
#include "date.h"
#include "diff.h"
#include "edit.h"
#include "json.h"
#include "judge.h"
#include "lexicon.h"
#include "rules.h"
#include "text.h"
#include "util.h"

static const char *const cat_names[JUDGE_C_COUNT] = {
	"data-collection", "data-types", "purpose", "sharing", "retention",
	"transfer", "user-rights", "security", "fees", "liability",
	"termination", "disputes", "license", "restrictions",
	"change-procedure", "contact", "scope",
};

#define C(x) (1u << JUDGE_C_##x)
/* The documented default: personal-data practices and the terms that
 * move money, risk or the right to use the service. Contact details and
 * scope wording are substantive but not material. */
#define DEFAULT_MATERIAL (C(DATA_COLLECTION) | C(DATA_TYPES) | C(PURPOSE) | \
	C(SHARING) | C(RETENTION) | C(TRANSFER) | C(USER_RIGHTS) | \
	C(SECURITY) | C(FEES) | C(LIABILITY) | C(TERMINATION) | C(DISPUTES) | \
	C(LICENSE) | C(RESTRICTIONS) | C(CHANGE_PROCEDURE))

const char *
judge_category_name(int c)
{
	return c >= 0 && c < JUDGE_C_COUNT ? cat_names[c] : NULL;
}

int
judge_category_parse(const char *name)
{
	int c;

	if (!name)
		return -1;
	for (c = 0; c < JUDGE_C_COUNT; c++)
		if (strcmp(name, cat_names[c]) == 0)
			return c;
	return -1;
}

void
judge_categories_format(unsigned cats, struct strbuf *out)
{
	int c, first = 1;

	for (c = 0; c < JUDGE_C_COUNT; c++)
		if (cats & (1u << c)) {
			if (!first)
				strbuf_addstr(out, ", ");
			strbuf_addstr(out, cat_names[c]);
			first = 0;
		}
}

int
judge_editorial_only(const struct judge_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!r->v[i].editorial)
			return 0;
	return 1;
}

/* The contract's deadline, whatever the changes are. */
static void
deadline_raw(const struct judge_result *r, char out[11])
{
	if (r->changed && r->deadline_kind == JUDGE_DL_DATE &&
	    r->deadline != DATE_NONE)
		date_format(r->deadline, out);
	else if (r->changed && r->deadline_kind == JUDGE_DL_IMMEDIATE)
		memcpy(out, "immediate", 10);
	else
		memcpy(out, "none", 5);
}

/* For people, commit trailers and reminders: a change that is editorial
 * in every part asks nobody to accept anything. */
void
judge_deadline_format(const struct judge_result *r, char out[11])
{
	if (judge_editorial_only(r))
		memcpy(out, "none", 5);
	else
		deadline_raw(r, out);
}

/* Skip the clause's own number at the start of its text, so renumbering
 * alone does not change the text ("3.2 ", "（三）", "第十条 ", "a) "). */
static const char *
body(const char *t, const char *label, size_t *len)
{
	const char *p = t;
	size_t n = strlen(t);

	while (*p == ' ' || *p == '\t')
		p++;
	if (label && *label && strncmp(p, label, strlen(label)) == 0) {
		const char *q = p + strlen(label);

		if (*q == '.' || *q == ')')
			q++;
		if (!strncmp(q, "、", 3) || !strncmp(q, "）", 3) ||
		    !strncmp(q, "．", 3))
			q += 3;
		if (*q == ' ' || *q == '\t' || (unsigned char)*q >= 0x80) {
			while (*q == ' ' || *q == '\t')
				q++;
			p = q;
		}
	} else {
		const char *q = p;

		while (*q >= '0' && *q <= '9') {
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == '.' && q[1] >= '0' && q[1] <= '9')
				q++;
		}
		if (q > p && (*q == '.' || *q == ')'))
			q++;
		if (q > p && (*q == ' ' || *q == '\t')) {
			while (*q == ' ' || *q == '\t')
				q++;
			p = q;
		}
	}
	*len = n - (size_t)(p - t);
	return p;
}

static int
is_amendment_kind(const char *k)
{
	static const char *const kinds[] = { "notice", "deemed-acceptance",
		"material-definition", "objection", "amendment", "modification",
		"change", "unilateral-change", NULL };
	size_t i;

	for (i = 0; kinds[i]; i++)
		if (strcmp(k, kinds[i]) == 0)
			return 1;
	return 0;
}

static int
amendment_clause(const struct rules *r, const char *label)
{
	size_t i;

	if (!label)
		return 0;
	if (r->material_clause && strcmp(r->material_clause, label) == 0)
		return 1;
	for (i = 0; i < r->nrule; i++)
		if (r->rule[i].clause && r->rule[i].kind &&
		    strcmp(r->rule[i].clause, label) == 0 &&
		    is_amendment_kind(r->rule[i].kind))
			return 1;
	return 0;
}

static void
add_change(struct judge_result *r, size_t *alloc, struct judge_change *c)
{
	ALLOC_GROW(r->v, r->n + 1, *alloc);
	r->v[r->n++] = *c;
}

static void
redline(struct judge_change *c)
{
	struct strbuf sb = STRBUF_INIT;

	if (c->old_text && c->new_text)
		diff_redline(c->old_text, strlen(c->old_text), c->new_text,
		    strlen(c->new_text), &sb);
	else if (c->new_text) {
		strbuf_addstr(&sb, "{+");
		diff_redline_escape(&sb, c->new_text, strlen(c->new_text));
		strbuf_addstr(&sb, "+}");
	} else if (c->old_text) {
		strbuf_addstr(&sb, "[-");
		diff_redline_escape(&sb, c->old_text, strlen(c->old_text));
		strbuf_addstr(&sb, "-]");
	}
	c->redline = strbuf_detach(&sb, NULL);
}

static const char *
doc_noun(const struct rules *r, const struct clause_list *cl)
{
	const char *t = r->title ? r->title : cl->title;
	size_t i;

	if (t && (strstr(t, "olicy") || strstr(t, "政策") || strstr(t, "隐私")))
		return "policy";
	/* titles of saved pages are often the site's name: ask the opening */
	for (i = 0; i < cl->n && i < 4; i++)
		if (strstr(cl->v[i].text, "Privacy Policy") ||
		    strstr(cl->v[i].text, "privacy policy") ||
		    strstr(cl->v[i].text, "隐私政策"))
			return "policy";
	return "agreement";
}

/* Matching a change to the document's own items: the words they share.
 * English words are cut to a crude stem ("shared", "sharing" -> "shar");
 * Chinese runs give character pairs. Words every definition uses
 * ("changes", "personal information") say nothing about which item fits. */

struct stems {
	uint32_t *v;
	size_t n, alloc;
};

static int
stop_stem(const char *w, size_t n)
{
	static const char *const stop[] = { "the", "and", "for", "with", "whom",
		"which", "that", "this", "these", "those", "our", "your", "you",
		"their", "its", "are", "was", "were", "been", "has", "have", "had",
		"will", "shall", "may", "can", "such", "from", "into", "any", "all",
		"other", "about", "not", "chang", "material", "significant",
		"substantial", "major", "includ", "personal", "information", "inform",
		"data", "process", "processor", "us", "we", "in", "of", "to", "or",
		"by", "on", "as", "at", "is", "be", "it", "an", "a", "use", "us",
		"who", "how", "what", "when", "where", "also", "more", "less",
		"new", "way", "ways", "policy", "agreement", "term", "terms", NULL };
	size_t i;

	for (i = 0; stop[i]; i++)
		if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
			return 1;
	return 0;
}

static void
stems_add(struct stems *st, uint32_t h)
{
	ALLOC_GROW(st->v, st->n + 1, st->alloc);
	st->v[st->n++] = h;
}

static int
is_cjk_at(const char *s, size_t n, size_t i, size_t *len)
{
	ucs4_t cp;

	*len = text_u8_next(s + i, n - i, &cp, NULL);
	return text_is_cjk(cp);
}

static void
stems_of(const char *s, size_t n, struct stems *st)
{
	static const char *const stop_zh[] = { "变更", "变化", "重大", "个人",
		"信息", "我们", "您的", "包括", "以及", "进行", "的变", "的重",
		"人信", "调整", NULL };
	size_t i = 0, k, l1, l2;

	st->n = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			char w[32];
			size_t j = 0;

			while (i < n && (((unsigned char)s[i] | 32) >= 'a' &&
			    ((unsigned char)s[i] | 32) <= 'z')) {
				if (j < sizeof(w))
					w[j++] = (char)(s[i] | 32);
				i++;
			}
			if (j == sizeof(w))
				continue;
			/* "sharing", "shared", "shares", "share" -> "shar" */
			if (j > 5 && memcmp(w + j - 3, "ing", 3) == 0)
				j -= 3;
			else if (j > 4 && memcmp(w + j - 2, "ed", 2) == 0)
				j -= 2;
			else if (j > 4 && memcmp(w + j - 2, "es", 2) == 0)
				j -= 2;
			else if (j > 3 && w[j - 1] == 's' && w[j - 2] != 's')
				j -= 1;
			if (j > 3 && w[j - 1] == 'e')
				j -= 1;
			if (j >= 3 && !stop_stem(w, j))
				stems_add(st, text_hash32(TEXT_HASH32_INIT, w, j));
			continue;
		}
		if (is_cjk_at(s, n, i, &l1)) {
			if (i + l1 < n && is_cjk_at(s, n, i + l1, &l2)) {
				for (k = 0; stop_zh[k]; k++)
					if (strlen(stop_zh[k]) == l1 + l2 &&
					    memcmp(stop_zh[k], s + i, l1 + l2) == 0)
						break;
				if (!stop_zh[k])
					stems_add(st, text_hash32(TEXT_HASH32_INIT, s + i, l1 + l2));
			}
			i += l1;
			continue;
		}
		i += c < 0x80 ? 1 : text_u8_next(s + i, n - i, &(ucs4_t){ 0 }, NULL);
	}
	if (st->n)
		qsort(st->v, st->n, sizeof(*st->v), util_cmp_u32);
	/* unique */
	for (i = 0, k = 0; i < st->n; i++)
		if (k == 0 || st->v[k - 1] != st->v[i])
			st->v[k++] = st->v[i];
	st->n = k;
}

static int
stems_has(const struct stems *st, uint32_t h)
{
	return st->n && bsearch(&h, st->v, st->n, sizeof(*st->v), util_cmp_u32) != NULL;
}

static int
popcount(unsigned x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* The own item that fits the change best, or -1. An item fits when the
 * change is about one of its categories, or when it shares a distinctive
 * word with it (one no other item uses). Score: shared words, each worth
 * 1/(number of items using it), plus the share of the item's categories
 * that the change is about (so the narrower item wins a tie). */
static long
best_item(const struct rules *own, const struct edit_verdict *v, double *score)
{
	struct stems ctx = { NULL, 0, 0 }, *it;
	size_t i, j, k, n = own->nmaterial;
	long best = -1;
	double bs = 0;
	const unsigned ignore = C(CONTACT) | C(SCOPE);

	if (!n)
		return -1;
	it = xcalloc(n, sizeof(*it));
	stems_of(v->ctx.buf, v->ctx.len, &ctx);
	for (i = 0; i < n; i++)
		stems_of(own->material[i], strlen(own->material[i]), &it[i]);
	for (i = 0; i < n; i++) {
		unsigned ic = lexicon_categories(own->material[i],
		    strlen(own->material[i])) & ~ignore;
		unsigned hit = ic & v->core;
		double kw = 0, sc;
		size_t shared = 0;

		for (j = 0; j < it[i].n; j++) {
			size_t df = 0;

			if (!stems_has(&ctx, it[i].v[j]))
				continue;
			for (k = 0; k < n; k++)
				df += stems_has(&it[k], it[i].v[j]);
			if (n >= 2 && df == n)
				continue;
			kw += 1.0 / (double)df;
			shared++;
		}
		/* words alone must say more than one name ("GitHub") */
		if (!hit && (kw < 1.0 || shared < 2))
			continue;
		sc = kw + (ic ? (double)popcount(hit) / popcount(ic) : 0);
		if (best < 0 || sc > bs) {
			best = (long)i;
			bs = sc;
		}
	}
	for (i = 0; i < n; i++)
		free(it[i].v);
	free(it);
	free(ctx.v);
	if (score)
		*score = bs;
	return best;
}

/* Materiality of one substantive change; returns 1 when judged by the
 * document's own definition. */
static int
materiality(struct judge_change *c, struct edit_verdict *v, const struct rules *own,
    const char *noun, int amend, unsigned extra, struct strbuf *why, const char **item)
{
	long i;

	if (amend) {
		c->categories |= C(CHANGE_PROCEDURE);
		c->material = 1;
		strbuf_addstr(why, "; material: changes the document's own amendment or notice clause");
		return 0;
	}
	if (own && (i = best_item(own, v, NULL)) >= 0) {
		c->material = 1;
		strbuf_addf(why, "; material: falls under the %s's own item ", noun);
		strbuf_addch(why, '\'');
		strbuf_addstr(why, own->material[i]);
		strbuf_addch(why, '\'');
		*item = own->material[i];
		return 1;
	}
	if (c->categories & (DEFAULT_MATERIAL | extra)) {
		c->material = 1;
		strbuf_addstr(why, "; material by default: ");
		judge_categories_format(c->categories & (DEFAULT_MATERIAL | extra),
		    why);
		if (own && own->nmaterial)
			strbuf_addf(why, " (none of the %s's own items covers it)",
			    noun);
		return 0;
	}
	/* an operative edit alters what a party must, may or gets, which is
	 * the default definition's first item whatever its topic */
	c->material = 1;
	strbuf_addstr(why, "; material by default: it changes what a party must, may or gets");
	if (own && own->nmaterial)
		strbuf_addf(why, " (none of the %s's own items covers it)", noun);
	return 0;
}

int
judge_compare(const char *old_md, size_t oldlen, const char *new_md,
    size_t newlen, const struct judge_opts *o, struct judge_result *out)
{
	struct clause_list ca, cb;
	struct rules ra, rb;
	int error = -1, have_a = 0, have_b = 0, have_ra = 0, have_rb = 0;

	memset(out, 0, sizeof(*out));
	out->effective = DATE_NONE;
	out->deadline = DATE_NONE;
	out->announced = DATE_NONE;
	memset(&ca, 0, sizeof(ca));
	memset(&cb, 0, sizeof(cb));
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	if (clause_split(old_md, oldlen, &ca) < 0)
		goto cleanup;
	have_a = 1;
	if (clause_split(new_md, newlen, &cb) < 0)
		goto cleanup;
	have_b = 1;
	if (rules_analyze(&ca, &ra) < 0)
		goto cleanup;
	have_ra = 1;
	if (rules_analyze(&cb, &rb) < 0)
		goto cleanup;
	have_rb = 1;
	error = judge_compare_parsed(&ca, &ra, &cb, &rb,
	    !(oldlen == newlen && memcmp(old_md, new_md, oldlen) == 0), o, out);
cleanup:
	if (have_ra)
		rules_free(&ra);
	if (have_rb)
		rules_free(&rb);
	if (have_a)
		clause_list_free(&ca);
	if (have_b)
		clause_list_free(&cb);
	return error;
}

/* One comparison's inputs and what is built from them once. */
struct cmp {
	const struct clause_list *ca, *cb;
	const struct rules *ra, *rb, *own;	/* own: the items that apply */
	struct diff_side *sa, *sb;
	struct diff_pair *p;
	size_t np, alloc;
	struct strbuf whole_a, whole_b;
	struct edit_texts w;
	struct edit_renames renames;	/* consistent substitutions */
	unsigned extra;
	const char *noun;
	int any_own;
};

static void
cmp_sides(struct diff_side *s, const struct clause_list *cl, struct strbuf *whole)
{
	size_t i;

	for (i = 0; i < cl->n; i++) {
		s[i].label = cl->v[i].label;
		s[i].text = body(cl->v[i].text, cl->v[i].label, &s[i].len);
		strbuf_add(whole, s[i].text, s[i].len);
		strbuf_addch(whole, '\n');
	}
}

/* The substitutions made the same way throughout: detected over every
 * modified clause first, so each clause is judged on what is left. */
static void
find_renames(struct cmp *x)
{
	size_t i;

	for (i = 0; i < x->np; i++) {
		const struct diff_pair *p = &x->p[i];

		if (p->kind == DIFF_MODIFIED)
			edit_renames_collect(&x->renames, x->sa[p->oldi].text,
			    x->sa[p->oldi].len, x->sb[p->newi].text,
			    x->sb[p->newi].len);
	}
	edit_renames_settle(&x->renames, x->whole_b.buf, x->whole_b.len);
}

/* Clause bodies, their alignment and each version's whole text. */
static void
cmp_setup(struct cmp *x)
{
	x->sa = xcalloc(x->ca->n + 1, sizeof(*x->sa));
	x->sb = xcalloc(x->cb->n + 1, sizeof(*x->sb));
	strbuf_init(&x->whole_a, 0);
	strbuf_init(&x->whole_b, 0);
	cmp_sides(x->sa, x->ca, &x->whole_a);
	cmp_sides(x->sb, x->cb, &x->whole_b);
	diff_align(x->sa, x->ca->n, x->sb, x->cb->n, &x->p, &x->np);
	x->w.a = x->whole_a.buf;
	x->w.alen = x->whole_a.len;
	x->w.b = x->whole_b.buf;
	x->w.blen = x->whole_b.len;
	find_renames(x);
	x->w.renames = &x->renames;
}

static void
cmp_release(struct cmp *x)
{
	strbuf_release(&x->whole_a);
	strbuf_release(&x->whole_b);
	edit_renames_free(&x->renames);
	free(x->p);
	free(x->sa);
	free(x->sb);
}

/* The verdict on one aligned pair, by its kind. */
static void
classify_pair(const struct cmp *x, const struct diff_pair *p,
    struct judge_change *c, struct edit_verdict *v)
{
	const struct clause *ka = p->oldi != DIFF_NONE ? &x->ca->v[p->oldi] : NULL;
	const struct clause *kb = p->newi != DIFF_NONE ? &x->cb->v[p->newi] : NULL;

	switch (p->kind) {
	case DIFF_MOVED:
		c->kind = JUDGE_MOVED;
		v->editorial = 1;
		strbuf_addf(&v->why, p->reordered ? "editorial: moved from %s, "
		    "text unchanged" : "editorial: renumbered from %s", ka->label);
		break;
	case DIFF_MODIFIED:
		c->kind = p->reordered ? JUDGE_MOVED : JUDGE_MODIFIED;
		edit_modified(x->sa[p->oldi].text, x->sa[p->oldi].len,
		    x->sb[p->newi].text, x->sb[p->newi].len, kb->heading, &x->w, v);
		break;
	case DIFF_ADDED:
		c->kind = JUDGE_ADDED;
		edit_whole(x->cb, p->newi, x->sb[p->newi].text, x->sb[p->newi].len,
		    1, x->whole_a.buf, x->whole_a.len, v);
		break;
	case DIFF_REMOVED:
		c->kind = JUDGE_REMOVED;
		edit_whole(x->ca, p->oldi, x->sa[p->oldi].text, x->sa[p->oldi].len,
		    0, x->whole_b.buf, x->whole_b.len, v);
		break;
	default:
		break;
	}
}

/* Editorial or not, material or not, and the result's union. */
static void
settle_change(struct cmp *x, const struct diff_pair *p, struct judge_change *c,
    struct edit_verdict *v, struct judge_result *out)
{
	const char *item = NULL;
	int amend;

	/* contact details are editorial unless the watchlist says they
	 * matter to this team */
	if (v->editorial && v->contact_only && (x->extra & C(CONTACT))) {
		v->editorial = 0;
		v->operative = 1;
	}
	if (v->cls == EDIT_ANNOUNCE && p->kind == DIFF_ADDED &&
	    out->announced == DATE_NONE)
		out->announced = rules_first_date(x->sb[p->newi].text,
		    x->sb[p->newi].len);
	c->editorial = v->editorial;
	if (c->editorial) {
		if (v->contact_only)
			c->categories = C(CONTACT);	/* says what kind */
		strbuf_addstr(&v->why, "; never material");
		return;
	}
	c->categories = v->cats;
	amend = (p->oldi != DIFF_NONE && amendment_clause(x->ra,
	    x->ca->v[p->oldi].label)) || (p->newi != DIFF_NONE &&
	    amendment_clause(x->rb, x->cb->v[p->newi].label));
	if (!v->operative)
		strbuf_addstr(&v->why, "; not material: changes no right or obligation");
	else if (materiality(c, v, x->own, x->noun, amend, x->extra, &v->why, &item))
		x->any_own = 1;
	out->categories |= c->categories;
	if (c->material) {
		out->material = 1;
		if (!out->material_reason)
			out->material_reason = xstrdup(v->why.buf);
		if (item && !out->material_item)
			out->material_item = xstrdup(item);
	}
}

/* When the change counts as accepted: the contract's rule. */
static void
set_deadline(const struct cmp *x, int32_t seen, struct judge_result *out)
{
	int nd = x->ra->notice_days >= 0 ? x->ra->notice_days : x->rb->notice_days;

	if (x->rb->effective != DATE_NONE && x->rb->effective > seen) {
		out->deadline_kind = JUDGE_DL_DATE;
		out->deadline = x->rb->effective;
	} else if (nd >= 0) {
		out->deadline_kind = JUDGE_DL_DATE;
		out->deadline = seen + nd;
	} else if (x->ra->deemed_acceptance || x->rb->deemed_acceptance) {
		out->deadline_kind = JUDGE_DL_IMMEDIATE;
	}
}

int
judge_compare_parsed(const struct clause_list *pca, const struct rules *pra,
    const struct clause_list *pcb, const struct rules *prb, int changed,
    const struct judge_opts *o, struct judge_result *out)
{
	struct cmp x;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->effective = prb->effective;
	out->deadline = DATE_NONE;
	out->announced = DATE_NONE;
	out->deadline_kind = JUDGE_DL_NONE;
	out->changed = changed;
	if (prb->title || pcb->title)
		out->title = xstrdup(prb->title ? prb->title : pcb->title);
	if (pra->objection || prb->objection)
		out->objection = xstrdup(pra->objection ? pra->objection : prb->objection);
	if (!changed)
		return 0;

	memset(&x, 0, sizeof(x));
	x.ca = pca;
	x.cb = pcb;
	x.ra = pra;
	x.rb = prb;
	x.own = pra->nmaterial ? pra : (prb->nmaterial ? prb : NULL);
	x.noun = doc_noun(prb, pcb);
	x.extra = o ? o->extra_material : 0;
	cmp_setup(&x);
	for (i = 0; i < x.np; i++) {
		const struct diff_pair *p = &x.p[i];
		struct judge_change c;
		struct edit_verdict v;

		if (p->kind == DIFF_SAME)
			continue;
		memset(&c, 0, sizeof(c));
		memset(&v, 0, sizeof(v));
		strbuf_init(&v.why, 0);
		strbuf_init(&v.ctx, 0);
		c.clause = xstrdup(p->newi != DIFF_NONE ? pcb->v[p->newi].label :
		    pca->v[p->oldi].label);
		c.old_text = p->oldi != DIFF_NONE ? xstrdup(pca->v[p->oldi].text) : NULL;
		c.new_text = p->newi != DIFF_NONE ? xstrdup(pcb->v[p->newi].text) : NULL;
		classify_pair(&x, p, &c, &v);
		settle_change(&x, p, &c, &v, out);
		c.reason = strbuf_detach(&v.why, NULL);
		strbuf_release(&v.ctx);
		redline(&c);
		add_change(out, &x.alloc, &c);
	}
	out->basis = x.any_own || (!out->material && x.own) ? "own-definition" :
	    "default";
	set_deadline(&x, o && o->seen != DATE_NONE ? o->seen : date_today(), out);
	cmp_release(&x);
	return 0;
}

void
judge_result_free(struct judge_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].clause);
		free(r->v[i].reason);
		free(r->v[i].old_text);
		free(r->v[i].new_text);
		free(r->v[i].redline);
	}
	free(r->v);
	free(r->title);
	free(r->objection);
	free(r->material_reason);
	free(r->material_item);
	memset(r, 0, sizeof(*r));
	r->effective = DATE_NONE;
	r->deadline = DATE_NONE;
}

const char *
judge_kind_name(enum judge_kind k)
{
	switch (k) {
	case JUDGE_ADDED: return "added";
	case JUDGE_REMOVED: return "removed";
	case JUDGE_MODIFIED: return "modified";
	case JUDGE_MOVED: return "moved";
	}
	return "modified";
}

void
judge_json(const struct judge_result *r, struct strbuf *out)
{
	json_t *o = json_object(), *a = json_array();
	char d[11];
	size_t i;

	json_object_set_new(o, "changed", json_boolean(r->changed));
	json_object_set_new(o, "material", json_boolean(r->material));
	json_object_set_new(o, "basis", json_text(r->changed ? r->basis : NULL));
	date_format(r->effective, d);
	json_object_set_new(o, "effective_date",
	    json_text(r->effective != DATE_NONE ? d : NULL));
	deadline_raw(r, d);
	json_object_set_new(o, "deadline", json_text(strcmp(d, "none") ? d : NULL));
	json_object_set_new(o, "categories",
	    json_bitnames(r->categories, cat_names, JUDGE_C_COUNT));
	date_format(r->announced, d);
	json_object_set_new(o, "announced",
	    json_text(r->announced != DATE_NONE ? d : NULL));
	for (i = 0; i < r->n; i++) {
		const struct judge_change *ch = &r->v[i];
		json_t *c = json_object();

		json_object_set_new(c, "clause", json_text(ch->clause));
		json_object_set_new(c, "kind", json_text(judge_kind_name(ch->kind)));
		json_object_set_new(c, "editorial", json_boolean(ch->editorial));
		json_object_set_new(c, "categories",
		    json_bitnames(ch->categories, cat_names, JUDGE_C_COUNT));
		json_object_set_new(c, "material", json_boolean(ch->material));
		json_object_set_new(c, "reason", json_text(ch->reason));
		json_object_set_new(c, "old", json_text(ch->old_text));
		json_object_set_new(c, "new", json_text(ch->new_text));
		json_object_set_new(c, "redline", json_text(ch->redline));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "changes", a);
	json_print(out, o);
}

void
judge_text(const struct judge_result *r, struct strbuf *out)
{
	char d[11];
	size_t i;
	int subst = 0;

	if (!r->changed) {
		strbuf_addstr(out, "No change.\n");
		return;
	}
	for (i = 0; i < r->n; i++)
		subst |= !r->v[i].editorial;
	judge_deadline_format(r, d);
	strbuf_addf(out, "%s (basis: %s); deadline: %s%s\n",
	    r->material ? "MATERIAL change" : subst ?
	    "Substantive change, not material" : "Editorial changes only",
	    r->basis ? r->basis : "none", d,
	    subst ? "" : " (nothing to accept: editorial changes only)");
	if (r->categories) {
		strbuf_addstr(out, "Categories: ");
		judge_categories_format(r->categories, out);
		strbuf_addch(out, '\n');
	}
	if (r->material && r->objection)
		strbuf_addf(out, "To object: %s\n", r->objection);
	if (r->announced != DATE_NONE) {
		date_format(r->announced, d);
		strbuf_addf(out, "Announced: new terms take effect %s\n", d);
	}
	for (i = 0; i < r->n; i++) {
		const struct judge_change *c = &r->v[i];

		strbuf_addf(out, "\n§ %s — %s — %s", c->clause, judge_kind_name(c->kind),
		    c->editorial ? "editorial" : c->material ? "MATERIAL" :
		    "substantive, not material");
		if (c->categories) {
			strbuf_addstr(out, " [");
			judge_categories_format(c->categories, out);
			strbuf_addch(out, ']');
		}
		strbuf_addstr(out, "\n  ");
		strbuf_addstr(out, c->redline ? c->redline : "");
		strbuf_addf(out, "\n  reason: %s\n", c->reason ? c->reason : "");
	}
}
