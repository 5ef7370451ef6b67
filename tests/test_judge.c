#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "date.h"
#include "judge.h"
#include "rules.h"
#include "strbuf.h"
#include "testutil.h"
#include "util.h"

#define FIX "tests/fixtures/judge/"
#define SEEN_Y 2026
#define SEEN_M 6
#define SEEN_D 1

static json_t *
parse_json(const struct strbuf *sb)
{
	json_error_t e;
	json_t *j = json_loads(sb->buf, 0, &e);

	cr_assert_not_null(j, "invalid JSON (%s): %s", e.text, sb->buf);
	return j;
}

static char *
slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 4 << 20);
	cr_assert_eq(util_read_file(path, 4 << 20, &sb), 0, "%s: %s", path,
	    util_err());
	return strbuf_detach(&sb, NULL);
}

/* s with the first `from` replaced by `to` (the test fails if absent). */
static char *
edit(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	struct strbuf sb = STRBUF_INIT;

	cr_assert_not_null(p, "fixture lacks '%s'", from);
	strbuf_add(&sb, s, (size_t)(p - s));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, p + strlen(from));
	return strbuf_detach(&sb, NULL);
}

static void
compare(const char *a, const char *b, struct judge_result *r)
{
	struct judge_opts o = { date_from_ymd(SEEN_Y, SEEN_M, SEEN_D), 0 };

	cr_assert_eq(judge_compare(a, strlen(a), b, strlen(b), &o, r), 0, "%s",
	    util_err());
}

static const struct judge_change *
first_substantive(const struct judge_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!r->v[i].editorial)
			return &r->v[i];
	return NULL;
}

static void
dump(const struct judge_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	judge_text(r, &sb);
	cr_log_info("%s", sb.buf);
	strbuf_release(&sb);
}

struct edit_case {
	const char *from, *to;
	int cat;		/* for material cases */
};

static void
expect_material(const char *fixture, const struct edit_case *c)
{
	char *a = slurp(fixture), *b = edit(a, c->from, c->to);
	struct judge_result r;
	const struct judge_change *ch;

	compare(a, b, &r);
	dump(&r);
	cr_assert(r.changed);
	cr_assert(r.material, "not material: %s -> %s", c->from, c->to);
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert(ch->material);
	cr_assert(ch->categories & (1u << c->cat), "'%s': want %s, reason %s",
	    c->to, judge_category_name(c->cat), ch->reason);
	cr_assert_not_null(ch->reason);
	cr_assert_not_null(strstr(ch->reason, "material"));
	cr_assert_not_null(r.basis);
	judge_result_free(&r);
	free(a);
	free(b);
}

/* from/to are the new and old text: old = fixture with to, new = fixture */
static void
expect_editorial(const char *fixture, const struct edit_case *c, int reverse)
{
	char *a = slurp(fixture), *b = edit(a, c->from, c->to);
	struct judge_result r;
	size_t i;

	if (reverse)
		compare(b, a, &r);
	else
		compare(a, b, &r);
	dump(&r);
	cr_assert(r.changed);
	cr_assert(!r.material, "material: %s -> %s", c->from, c->to);
	cr_assert_geq(r.n, 1, "no change reported for %s", c->to);
	for (i = 0; i < r.n; i++) {
		cr_assert(r.v[i].editorial, "%s: %s", r.v[i].clause, r.v[i].reason);
		cr_assert(!r.v[i].material);
		cr_assert_not_null(strstr(r.v[i].reason, "editorial"));
	}
	judge_result_free(&r);
	free(a);
	free(b);
}

Test(judge, en_material_edits)
{
	static const struct edit_case cases[] = {
		{ "cloud hosting provider and with payment processors",
		  "cloud hosting provider, with advertising partners and with payment processors",
		  JUDGE_C_SHARING },
		{ "name, email address and company name",
		  "name, email address, phone number and company name",
		  JUDGE_C_DATA_TYPES },
		{ "The basic plan is free of charge.",
		  "The basic plan costs 10 USD per month.", JUDGE_C_FEES },
		{ "## 7. Contact",
		  "## 7. Disputes\n\n7.0 Any dispute arising from this policy shall be settled by binding arbitration in Singapore.\n\n## 7. Contact",
		  JUDGE_C_DISPUTES },
		{ "at least 30 days", "at least 10 days", JUDGE_C_CHANGE_PROCEDURE },
		{ "within 7 days", "within 90 days", JUDGE_C_RETENTION },
		{ "We use the images only", "We use the images to train our models and",
		  JUDGE_C_PURPOSE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_material(FIX "privacy.en.md", &cases[i]);
}

Test(judge, zh_material_edits)
{
	static const struct edit_case cases[] = {
		{ "我们不会向第三方提供", "我们会向广告合作伙伴提供", JUDGE_C_SHARING },
		{ "姓名、手机号和企业名称", "姓名、手机号、身份证号码和企业名称",
		  JUDGE_C_DATA_TYPES },
		{ "每千次调用收费10元", "每千次调用收费20元", JUDGE_C_FEES },
		{ "## 五、其他",
		  "## 五、争议解决\n\n1. 因本协议产生的争议，双方应提交北京仲裁委员会仲裁。\n\n## 六、其他",
		  JUDGE_C_DISPUTES },
		{ "修改后的协议将在平台公告。",
		  "修改后的协议将在平台公告，并提前15日通知开发者。",
		  JUDGE_C_CHANGE_PROCEDURE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_material(FIX "agreement.zh.md", &cases[i]);
}

Test(judge, en_editorial_edits)
{
	static const struct edit_case fixes[] = {	/* old has the typo */
		{ "after processing.", "after procesing.", 0 },
		{ "hosting provider", "hostnig provider", 0 },
	};
	static const struct edit_case cases[] = {
		{ "request logs of each call", "request logs  of\teach call", 0 },
		{ "and company name.", "and company name;", 0 },
		{ "name, email address and company name",
		  "email address, name and company name", 0 },
		{ "March 1, 2026", "April 2, 2026", 0 },
		{ "utm_source=policy", "utm_source=newsletter", 0 },
		{ "We use the images", "We use the Images", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		expect_editorial(FIX "privacy.en.md", &fixes[i], 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_editorial(FIX "privacy.en.md", &cases[i], 0);
}

Test(judge, zh_editorial_edits)
{
	static const struct edit_case fixes[] = {
		{ "开发者的姓名", "开发者得姓名", 0 },
	};
	static const struct edit_case cases[] = {
		{ "用于完成识别请求，我们", "用于完成识别请求。我们", 0 },
		{ "收费10元", "收费１０元", 0 },
		{ "姓名、手机号和企业名称", "手机号、姓名和企业名称", 0 },
		{ "2026年3月1日", "2026年4月2日", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		expect_editorial(FIX "agreement.zh.md", &fixes[i], 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_editorial(FIX "agreement.zh.md", &cases[i], 0);
}

Test(judge, negation_and_modal_are_never_typos)
{
	static const struct edit_case cases[] = {
		{ "We may update this policy", "We must update this policy",
		  JUDGE_C_CHANGE_PROCEDURE },
		{ "and with no one else", "and with anyone else", JUDGE_C_SHARING },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_material(FIX "privacy.en.md", &cases[i]);
}

/* The provider's contact details are an editorial class: no alert,
 * unless the watchlist makes contact changes material for the team. */
Test(judge, contact_change_editorial_unless_listed)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "privacy@acme.example", "legal@acme.example");
	struct judge_result r;

	compare(a, b, &r);
	cr_assert(r.changed);
	cr_assert(!r.material);
	cr_assert_eq(r.n, 1);
	cr_assert(r.v[0].editorial, "%s", r.v[0].reason);
	cr_assert_eq(r.v[0].categories, 1u << JUDGE_C_CONTACT);
	cr_assert_not_null(strstr(r.v[0].reason, "link or anchor"), "%s",
	    r.v[0].reason);
	judge_result_free(&r);
	/* the watchlist may make contact changes material */
	{
		struct judge_opts o = { date_from_ymd(2026, 6, 1),
			1u << JUDGE_C_CONTACT };

		cr_assert_eq(judge_compare(a, strlen(a), b, strlen(b), &o, &r), 0);
		cr_assert(r.material);
		cr_assert_not(r.v[0].editorial);
		judge_result_free(&r);
	}
	free(a);
	free(b);
}

Test(judge, renumbering_is_editorial_insert_is_not)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "1.2 When you call",
	    "1.2 We collect your precise location when you use the mobile SDK.\n\n1.3 When you call");
	struct judge_result r;
	size_t i, moved = 0, added = 0;

	compare(a, b, &r);
	dump(&r);
	cr_assert(r.material);
	for (i = 0; i < r.n; i++) {
		if (r.v[i].kind == JUDGE_MOVED) {
			moved++;
			cr_assert(r.v[i].editorial);
			cr_assert_str_eq(r.v[i].clause, "1.3");
		}
		if (r.v[i].kind == JUDGE_ADDED) {
			added++;
			cr_assert(!r.v[i].editorial);
			cr_assert(r.v[i].categories & (1u << JUDGE_C_DATA_TYPES));
		}
	}
	cr_assert_eq(moved, 1);
	cr_assert_eq(added, 1);
	judge_result_free(&r);
	free(a);
	free(b);
}

Test(judge, unchanged_has_no_basis_or_deadline)
{
	char *a = slurp(FIX "privacy.en.md");
	struct judge_result r;
	struct strbuf sb = STRBUF_INIT;
	char d[11];

	compare(a, a, &r);
	cr_assert(!r.changed);
	cr_assert(!r.material);
	cr_assert_null(r.basis);
	cr_assert_eq(r.n, 0);
	judge_deadline_format(&r, d);
	cr_assert_str_eq(d, "none");
	judge_json(&r, &sb);
	{
		json_t *j = parse_json(&sb);

		cr_assert(json_is_false(json_object_get(j, "changed")));
		cr_assert(json_is_null(json_object_get(j, "basis")));
		cr_assert(json_is_null(json_object_get(j, "deadline")));
		cr_assert_eq(json_array_size(json_object_get(j, "changes")), 0);
		cr_assert(json_is_array(json_object_get(j, "changes")));
		json_decref(j);
	}
	strbuf_release(&sb);
	judge_result_free(&r);
	free(a);
}

/* Editorial-only: no deadline for people and commits ("none"), the JSON
 * deadline as the contract defines it, and a reason on every change. */
Test(judge, editorial_only_deadline_and_reasons)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "uploaded images", "uplaoded images");
	struct judge_result r;
	struct strbuf js = STRBUF_INIT, tx = STRBUF_INIT;
	char d[11];
	size_t i;

	compare(b, a, &r);
	cr_assert(r.changed);
	cr_assert_not(r.material);
	cr_assert_geq(r.n, 1);
	for (i = 0; i < r.n; i++) {
		cr_assert(r.v[i].editorial);
		cr_assert_not_null(r.v[i].reason);
		cr_assert_not_null(strstr(r.v[i].reason, "editorial: "), "%s", r.v[i].reason);
		cr_assert_not_null(strstr(r.v[i].reason, "never material"), "%s", r.v[i].reason);
	}
	judge_deadline_format(&r, d);
	cr_assert_str_eq(d, "none");
	judge_json(&r, &js);
	{
		json_t *j = parse_json(&js);

		cr_assert_str_eq(json_string_value(json_object_get(j, "deadline")),
		    "2026-07-01", "%s", js.buf);
		json_decref(j);
	}
	judge_text(&r, &tx);
	cr_assert_not_null(strstr(tx.buf, "deadline: none"), "%s", tx.buf);
	cr_assert_not_null(strstr(tx.buf, "reason: editorial"), "%s", tx.buf);
	strbuf_release(&js);
	strbuf_release(&tx);
	judge_result_free(&r);
	free(a);
	free(b);
}

Test(judge, json_and_text_shape)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "at least 30 days", "at least 10 days");
	struct judge_result r;
	struct strbuf js = STRBUF_INIT, tx = STRBUF_INIT;

	compare(a, b, &r);
	judge_json(&r, &js);
	judge_text(&r, &tx);
	{
		json_t *j = parse_json(&js), *c, *cats;
		size_t k;
		int proc = 0;

		cr_assert(json_is_true(json_object_get(j, "changed")));
		cr_assert(json_is_true(json_object_get(j, "material")));
		cr_assert(json_is_string(json_object_get(j, "deadline")));
		c = json_array_get(json_object_get(j, "changes"), 0);
		cr_assert_str_eq(json_string_value(json_object_get(c, "clause")), "6.1");
		cr_assert_str_eq(json_string_value(json_object_get(c, "kind")), "modified");
		cr_assert(json_is_false(json_object_get(c, "editorial")));
		cr_assert(json_is_true(json_object_get(c, "material")));
		cr_assert_not_null(strstr(json_string_value(json_object_get(c, "old")), "30 days"));
		cr_assert_not_null(strstr(json_string_value(json_object_get(c, "new")), "10 days"));
		cats = json_object_get(c, "categories");
		for (k = 0; k < json_array_size(cats); k++)
			proc |= !strcmp(json_string_value(json_array_get(cats, k)),
			    "change-procedure");
		cr_assert(proc, "%s", js.buf);
		json_decref(j);
	}
	cr_assert_not_null(strstr(tx.buf, "§ 6.1"));
	cr_assert_not_null(strstr(tx.buf, "[-30-]{+10+}"));
	cr_assert_not_null(strstr(tx.buf, "MATERIAL"));
	cr_assert_not_null(strstr(tx.buf, "reason: "));
	strbuf_release(&js);
	strbuf_release(&tx);
	judge_result_free(&r);
	free(a);
	free(b);
}

Test(judge, category_names_roundtrip)
{
	struct strbuf sb = STRBUF_INIT;
	int c;

	for (c = 0; c < JUDGE_C_COUNT; c++)
		cr_assert_eq(judge_category_parse(judge_category_name(c)), c);
	cr_assert_eq(judge_category_parse("nonsense"), -1);
	cr_assert_str_eq(judge_category_name(JUDGE_C_DATA_COLLECTION), "data-collection");
	cr_assert_str_eq(judge_category_name(JUDGE_C_USER_RIGHTS), "user-rights");
	cr_assert_str_eq(judge_category_name(JUDGE_C_CHANGE_PROCEDURE), "change-procedure");
	judge_categories_format((1u << JUDGE_C_SHARING) | (1u << JUDGE_C_PURPOSE), &sb);
	cr_assert_str_eq(sb.buf, "purpose, sharing");
	strbuf_release(&sb);
}

/* Deadline and own-definition cases on hand-made rules, so they test
 * judge, not rules_analyze. */

struct parsed {
	struct clause_list ca, cb;
	struct rules ra, rb;
};

static void
parse(const char *a, const char *b, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	cr_assert_eq(clause_split(a, strlen(a), &p->ca), 0);
	cr_assert_eq(clause_split(b, strlen(b), &p->cb), 0);
	p->ra.language = p->rb.language = "en";
	p->ra.effective = p->rb.effective = DATE_NONE;
	p->ra.updated = p->rb.updated = DATE_NONE;
	p->ra.notice_days = p->rb.notice_days = -1;
}

static void
parsed_free(struct parsed *p)
{
	clause_list_free(&p->ca);
	clause_list_free(&p->cb);
}

static void
run_parsed(struct parsed *p, struct judge_result *r)
{
	struct judge_opts o = { date_from_ymd(SEEN_Y, SEEN_M, SEEN_D), 0 };

	cr_assert_eq(judge_compare_parsed(&p->ca, &p->ra, &p->cb, &p->rb, 1, &o,
	    r), 0);
}

Test(judge, deadline_rules)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "within 7 days", "within 90 days");
	int32_t seen = date_from_ymd(SEEN_Y, SEEN_M, SEEN_D);
	struct parsed p;
	struct judge_result r;
	char d[11];

	parse(a, b, &p);

	/* effective date later than seen: that date */
	p.rb.effective = seen + 45;
	p.ra.notice_days = 30;
	p.ra.deemed_acceptance = 1;
	run_parsed(&p, &r);
	cr_assert_eq(r.deadline_kind, JUDGE_DL_DATE);
	cr_assert_eq(r.deadline, seen + 45);
	judge_deadline_format(&r, d);
	cr_assert_str_eq(d, "2026-07-16");
	judge_result_free(&r);

	/* effective date not later: seen + the old version's notice days */
	p.rb.effective = seen - 3;
	p.rb.notice_days = 10;
	run_parsed(&p, &r);
	cr_assert_eq(r.deadline_kind, JUDGE_DL_DATE);
	cr_assert_eq(r.deadline, seen + 30);
	cr_assert_eq(r.effective, seen - 3);
	judge_result_free(&r);

	/* old version promises nothing: the new one's notice days */
	p.ra.notice_days = -1;
	run_parsed(&p, &r);
	cr_assert_eq(r.deadline, seen + 10);
	judge_result_free(&r);

	/* deemed acceptance only: immediate */
	p.rb.notice_days = -1;
	p.rb.effective = DATE_NONE;
	run_parsed(&p, &r);
	cr_assert_eq(r.deadline_kind, JUDGE_DL_IMMEDIATE);
	judge_deadline_format(&r, d);
	cr_assert_str_eq(d, "immediate");
	judge_result_free(&r);

	/* nothing: none */
	p.ra.deemed_acceptance = 0;
	run_parsed(&p, &r);
	cr_assert_eq(r.deadline_kind, JUDGE_DL_NONE);
	judge_deadline_format(&r, d);
	cr_assert_str_eq(d, "none");
	judge_result_free(&r);

	parsed_free(&p);
	free(a);
	free(b);
}

Test(judge, own_definition_first_then_default)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "cloud hosting provider and",
	    "cloud hosting provider, with data brokers and");
	char *c = edit(a, "is free of charge", "costs 99 USD per month");
	char *item = xstrdup("changes in the recipients with whom we share personal information");
	struct parsed p;
	struct judge_result r;
	const struct judge_change *ch;

	parse(a, b, &p);
	p.ra.material = &item;
	p.ra.nmaterial = 1;
	run_parsed(&p, &r);
	dump(&r);
	cr_assert(r.material);
	cr_assert_str_eq(r.basis, "own-definition");
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert_not_null(strstr(ch->reason,
	    "falls under the policy's own item 'changes in the recipients"),
	    "%s", ch->reason);
	cr_assert_not_null(r.material_reason);
	judge_result_free(&r);
	parsed_free(&p);

	/* a fee is not on the policy's list: the default decides */
	parse(a, c, &p);
	p.ra.material = &item;
	p.ra.nmaterial = 1;
	run_parsed(&p, &r);
	cr_assert(r.material);
	cr_assert_str_eq(r.basis, "default");
	judge_result_free(&r);
	parsed_free(&p);

	free(item);
	free(a);
	free(b);
	free(c);
}

/* With several items that all name personal information, the change must
 * cite the item it is about, or none. */
static void
own_items_case(const char *from, const char *to, const char *want)
{
	static const char *const items[] = {
		"changes in the purposes for which personal information is processed",
		"changes in the types of personal information processed",
		"changes in the recipients with whom personal information is shared",
	};
	char *a = slurp(FIX "privacy.en.md"), *b = edit(a, from, to);
	char *own[3];
	struct parsed p;
	struct judge_result r;
	const struct judge_change *ch;
	size_t i;

	for (i = 0; i < 3; i++)
		own[i] = xstrdup(items[i]);
	parse(a, b, &p);
	p.ra.material = own;
	p.ra.nmaterial = 3;
	run_parsed(&p, &r);
	dump(&r);
	cr_assert(r.material, "%s", to);
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert(ch->material);
	if (want) {
		cr_assert_not_null(strstr(ch->reason, want), "%s: %s", to, ch->reason);
		cr_assert_str_eq(r.basis, "own-definition");
	} else {
		for (i = 0; i < 3; i++)
			cr_assert_null(strstr(ch->reason, items[i]), "%s: %s", to,
			    ch->reason);
		cr_assert_str_eq(r.basis, "default");
		cr_assert_not_null(strstr(ch->reason, "material by default"), "%s",
		    ch->reason);
	}
	judge_result_free(&r);
	parsed_free(&p);
	for (i = 0; i < 3; i++)
		free(own[i]);
	free(a);
	free(b);
}

Test(judge, own_definition_best_item)
{
	own_items_case("cloud hosting provider and",
	    "cloud hosting provider, with data brokers and",
	    "own item 'changes in the recipients");
	own_items_case("within 7 days", "within 90 days", NULL);
	own_items_case("name, email address and company name",
	    "name, email address, phone number and company name",
	    "own item 'changes in the types");
	own_items_case("We use the images only", "We use the images to train our models and",
	    "own item 'changes in the purposes");
}

/* Categories come from the changed words and their sentence: a payment
 * processor is a recipient, not a fee, and a fee named in another sentence
 * of the clause says nothing about this change. */
Test(judge, categories_from_the_changed_sentence)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "cloud hosting provider and",
	    "cloud hosting provider, with analytics vendors and");
	static const char x[] = "# Terms\n\n## 9. Miscellaneous\n\n9.1 Prices are shown on "
	    "our website. Headings are for ease of reading.\n";
	static const char y[] = "# Terms\n\n## 9. Miscellaneous\n\n9.1 Prices are shown on "
	    "our website. Headings are for ease of reference.\n";
	struct judge_result r;
	const struct judge_change *ch;

	compare(a, b, &r);
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert(ch->categories & (1u << JUDGE_C_SHARING));
	cr_assert_not(ch->categories & (1u << JUDGE_C_FEES), "%s", ch->reason);
	judge_result_free(&r);

	compare(x, y, &r);
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert_not(ch->categories & (1u << JUDGE_C_FEES), "%s", ch->reason);
	cr_assert_not(r.material, "%s", ch->reason);
	cr_assert_not_null(strstr(ch->reason, "not material"));
	judge_result_free(&r);
	free(a);
	free(b);
}

/* Web pages: link targets are addresses, not wording; Cloudflare hides
 * e-mail addresses; words get joined. */
Test(judge, link_targets_and_joined_words)
{
	static const struct { const char *a, *b; int editorial; } v[] = {
		{ "# P\n\n## Rights\n\n1. You may see [how we collect data](#how-we-collect) "
		  "and delete your account.\n",
		  "# P\n\n## Rights\n\n1. You may see [how we collect data](#what-we-collect) "
		  "and delete your account.\n", 1 },
		{ "# P\n\n## Rights\n\n1. You can not delete your data through the "
		  "[settings](https://example.com/settings).\n",
		  "# P\n\n## Rights\n\n1. You cannot delete your data through the "
		  "[settings](https://example.com/settings).\n", 1 },
		{ "# P\n\n## Rights\n\n1. To exercise your rights, write to [email protected]"
		  "](https://example.com/cdn-cgi/l/email-protection#abc).\n",
		  "# P\n\n## Rights\n\n1. To exercise your rights, write to dpo@example.com"
		  "](mailto:dpo@example.com).\n", 1 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct judge_result r;

		compare(v[i].a, v[i].b, &r);
		dump(&r);
		cr_assert(r.changed);
		cr_assert_not(r.material, "case %zu", i);
		cr_assert_geq(r.n, 1);
		for (k = 0; k < r.n; k++)
			cr_assert_eq(r.v[k].editorial, v[i].editorial, "case %zu: %s", i,
			    r.v[k].reason);
		judge_result_free(&r);
	}
}

Test(judge, amendment_clause_always_material)
{
	char *a = slurp(FIX "privacy.en.md");
	char *b = edit(a, "from time to time", "whenever we see fit");
	struct rules_rule rule = { "6.1", "notice", "We will notify you" };
	struct parsed p;
	struct judge_result r;
	const struct judge_change *ch;

	parse(a, b, &p);
	p.ra.rule = &rule;
	p.ra.nrule = 1;
	run_parsed(&p, &r);
	ch = first_substantive(&r);
	cr_assert_not_null(ch);
	cr_assert(ch->material);
	cr_assert(ch->categories & (1u << JUDGE_C_CHANGE_PROCEDURE));
	cr_assert_not_null(strstr(ch->reason, "amendment"));
	judge_result_free(&r);
	parsed_free(&p);
	free(a);
	free(b);
}

/* The real corpus, edited in memory the way a platform would. */

static char *
corpus_file(const char *name)
{
	const char *dir = testutil_corpus();
	char path[1024];

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, R_OK) != 0)
		return NULL;
	return slurp(path);
}

static const char *const corpus_files[] = {
	"faceplusplus-developer-agreement.en.txt",
	"faceplusplus-privacy-policy.en.md",
	"realsee-developer-agreement.en.txt",
	"faceid-service-agreement.zh.md",
	"face-recognition-api-agreement.zh.md",
};

/* Insert a recipient after the first third-party mention, or, in a text
 * that names none, a sharing sentence after a sentence in its middle. */
static char *
add_recipient(const char *s, int zh)
{
	const char *key = zh ? "第三方" : "third part";
	const char *p = strstr(s, key);
	struct strbuf sb = STRBUF_INIT;

	if (p) {
		if (zh) {
			p += strlen(key);
			strbuf_add(&sb, s, (size_t)(p - s));
			strbuf_addstr(&sb, "及广告合作伙伴");
		} else {
			strbuf_add(&sb, s, (size_t)(p - s));
			strbuf_addstr(&sb, "advertising partners and ");
		}
		strbuf_addstr(&sb, p);
		return strbuf_detach(&sb, NULL);
	}
	p = strstr(s + strlen(s) / 3, zh ? "。" : ". ");
	cr_assert_not_null(p);
	p += zh ? 3 : 2;
	strbuf_add(&sb, s, (size_t)(p - s));
	strbuf_addstr(&sb, zh ? "我们会与广告合作伙伴共享用户的人脸信息。" :
	    "We share your face data with advertising partners. ");
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb, NULL);
}

/* The text with a typo in place of a correct word in its second half:
 * old = typo, new = the original. */
static char *
add_typo(const char *s, int zh)
{
	char *t = xstrdup(s);
	size_t n = strlen(t), i;

	if (zh) {
		char *p = strstr(t + n / 2, "的");

		cr_assert_not_null(p);
		memcpy(p, "得", 3);
		return t;
	}
	for (i = n / 2; i + 10 < n; i++) {
		size_t j = i;

		if (i > 0 && ((t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
		    (t[i - 1] >= 'A' && t[i - 1] <= 'Z')))
			continue;
		while (t[j] >= 'a' && t[j] <= 'z')
			j++;
		if (j - i >= 9 && !((t[j] >= 'A' && t[j] <= 'Z') ||
		    (t[j] >= '0' && t[j] <= '9')) && t[i + 3] != t[i + 4]) {
			char c = t[i + 3];

			t[i + 3] = t[i + 4];
			t[i + 4] = c;
			return t;
		}
	}
	cr_assert_fail("no long word");
	return t;
}

Test(judge, corpus_recipient_is_material_sharing)
{
	size_t f, done = 0;

	for (f = 0; f < sizeof(corpus_files) / sizeof(corpus_files[0]); f++) {
		char *a = corpus_file(corpus_files[f]), *b;
		int zh = strstr(corpus_files[f], ".zh.") != NULL;
		struct judge_result r;
		size_t i;
		int found = 0;

		if (!a)
			continue;
		b = add_recipient(a, zh);
		compare(a, b, &r);
		cr_assert(r.changed);
		cr_assert(r.material, "%s: not material", corpus_files[f]);
		for (i = 0; i < r.n; i++)
			if (r.v[i].material &&
			    (r.v[i].categories & (1u << JUDGE_C_SHARING)))
				found = 1;
		if (!found)
			dump(&r);
		cr_assert(found, "%s: no material sharing change", corpus_files[f]);
		judge_result_free(&r);
		free(a);
		free(b);
		done++;
	}
	if (!done)
		cr_skip("corpus absent");
}

Test(judge, corpus_typo_fix_is_editorial)
{
	size_t f, done = 0;

	for (f = 0; f < sizeof(corpus_files) / sizeof(corpus_files[0]); f++) {
		char *a = corpus_file(corpus_files[f]), *typo;
		int zh = strstr(corpus_files[f], ".zh.") != NULL;
		struct judge_result r;
		size_t i;

		if (!a)
			continue;
		typo = add_typo(a, zh);
		compare(typo, a, &r);
		if (r.material)
			dump(&r);
		cr_assert(r.changed);
		cr_assert(!r.material, "%s: typo fix judged material",
		    corpus_files[f]);
		cr_assert_geq(r.n, 1);
		for (i = 0; i < r.n; i++)
			cr_assert(r.v[i].editorial, "%s: %s: %s", corpus_files[f],
			    r.v[i].clause, r.v[i].reason);
		judge_result_free(&r);
		free(a);
		free(typo);
		done++;
	}
	if (!done)
		cr_skip("corpus absent");
}

/* One case per edit class: the class's name must appear in the reason, so
 * removing or breaking its rule fails its case. */
struct class_case {
	const char *name;
	const char *old, *new;
	int editorial, material;
	const char *reason;	/* substring of the deciding change's reason */
};

#define DOC(body) "# Service Terms\n\n## 4. Use of the service\n\n" body \
	"\n\n## 5. Other\n\n5.1 These terms are governed by the laws of Ireland.\n"
#define ZDOC(body) "# 开发者服务协议\n\n## 四、服务使用\n\n" body \
	"\n\n## 五、其他\n\n1. 本协议适用中华人民共和国法律。\n"

static const struct class_case class_cases[] = {
	/* editorial classes */
	{ "typo", DOC("4.1 You must keep your pasword secret."),
	  DOC("4.1 You must keep your password secret."), 1, 0, "typo fix" },
	{ "spelling", DOC("4.1 We may anonymise the logs after use."),
	  DOC("4.1 We may anonymize the logs after use."), 1, 0, "typo fix" },
	{ "joined words", DOC("4.1 You can not resell the e-mail service."),
	  DOC("4.1 You cannot resell the e-mail service."), 1, 0, "orthography" },
	{ "function words", DOC("4.1 You must pay the fees set out in the order form."),
	  DOC("4.1 You must pay the fees as set out in your order form."), 1, 0,
	  "function words" },
	{ "link target", DOC("4.1 You must follow the [usage policy](https://a.example/old)."),
	  DOC("4.1 You must follow the [usage policy](https://a.example/policy/v2)."),
	  1, 0, "link or anchor" },
	{ "link wording", DOC("4.1 Questions go to https://a.example/support."),
	  DOC("4.1 Questions go directly via [support@a.example](mailto:support@a.example)."),
	  1, 0, "link or anchor" },
	{ "cross-reference", DOC("4.1 The limits in Section 7.2 apply to every plan."),
	  DOC("4.1 The limits in Section 8.2 apply to every plan."), 1, 0,
	  "cross-reference" },
	{ "year", DOC("4.1 Copyright 2023 Example Corp. All rights reserved."),
	  DOC("4.1 Copyright 2024 Example Corp. All rights reserved."), 1, 0, "date" },
	{ "address", DOC("4.1 Notices go to Example Ltd, 12 Harbour Street, Dublin 2."),
	  DOC("4.1 Notices go to Example Ltd, 40 Canal Road, Dublin 4."), 1, 0,
	  "contact details" },
	{ "phone", DOC("4.1 You may call us on 01 234 5678 on working days."),
	  DOC("4.1 You may call us on 01 987 6543 on working days."), 1, 0,
	  "contact details" },
	{ "representative", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 Example Labs LLC has designated "
	  "Jane Roe as its representative in the Union for matters related to the processing "
	  "of personal data.\n\n4.3 You may contact our representative in addition to "
	  "contacting us directly."), 1, 0, "contact details" },
	{ "authorised representative", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 You may appoint an authorised "
	  "representative to exercise your rights on your behalf."), 0, 1, "a provision" },
	{ "zh representative", ZDOC("1. 您应当妥善保管账号密码。"),
	  ZDOC("1. 您应当妥善保管账号密码。\n\n2. 我们已指定欧盟代表，您可以联系该代表处理个人信息相关事务。"),
	  1, 0, "contact details" },
	{ "template credit", DOC("4.1 You must keep your password secret.\n\n4.2 This policy is "
	  "based on the Creative Commons licensed policy by Example Press (the people who "
	  "made Example Press)."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 This policy is based on the "
	  "Creative Commons licensed policy by Example Press."), 0, 0, "descriptive" },
	{ "template credit removed", DOC("4.1 You must keep your password secret.\n\n4.2 This "
	  "policy is based on the Creative Commons licensed policy by Example Press."),
	  DOC("4.1 You must keep your password secret."), 0, 0, "descriptive" },
	{ "based on, no template", DOC("4.1 Fees are based on the number of licensed seats."),
	  DOC("4.1 Fees are based on the number of licensed seats and API calls."), 0, 1,
	  "fees" },
	{ "zh template credit", ZDOC("1. 您应当妥善保管账号密码。\n\n2. 本政策参考了知识共享许可的隐私政策模板。"),
	  ZDOC("1. 您应当妥善保管账号密码。"), 0, 0, "descriptive" },
	{ "etc. aside", DOC("4.1 Some answers come from specialist sources (recipes, maps, "
	  "weather, etc.) that do better than plain links."),
	  DOC("4.1 Some answers come from specialist sources (recipes, maps, sports scores, "
	  "etc.) that do better than plain links."), 1, 0, "an example" },
	{ "etc. list, no aside", DOC("4.1 We share usage data with advertisers, analytics "
	  "providers, etc."),
	  DOC("4.1 We share usage data with advertisers, data brokers, analytics providers, "
	  "etc."), 0, 1, "an item of a list" },
	{ "zh etc. aside", ZDOC("1. 部分答案来自专门来源（菜谱、地图、天气等），它们比普通链接更好。"),
	  ZDOC("1. 部分答案来自专门来源（菜谱、地图、比分等），它们比普通链接更好。"),
	  1, 0, "an example" },
	{ "link title", DOC("4.1 The words in [Section 1](#s57211 \"1. Definitions\") apply "
	  "to every plan you use."),
	  DOC("4.1 The words in [Section 1](https://a.example/terms#s32059 \"Definitions\") "
	  "apply to every plan you use."), 1, 0, "link or anchor" },
	{ "consistent rename", DOC("4.1 You may use Acme Cloud, Acme Mail and Acme Docs for "
	  "internal work.\n\n4.2 We may suspend Acme Cloud, Acme Mail or Acme Docs for "
	  "maintenance."),
	  DOC("4.1 You may use Acme Platform, Acme Mail and Acme Docs for internal work.\n\n"
	  "4.2 We may suspend Acme Platform, Acme Mail or Acme Docs for maintenance."), 1, 0,
	  "rename" },
	{ "rename made once", DOC("4.1 You may use Acme Cloud, Acme Mail and Acme Docs for "
	  "internal work.\n\n4.2 We may suspend Acme Cloud, Acme Mail or Acme Docs for "
	  "maintenance."),
	  DOC("4.1 You may use Acme Platform, Acme Mail and Acme Docs for internal work.\n\n"
	  "4.2 We may suspend Acme Cloud, Acme Mail or Acme Docs for maintenance."), 0, 1,
	  "an item of a list" },
	{ "zh noun swap is no rename", ZDOC("1. 您可以使用云盘、邮箱和文档服务。\n\n2. 我们可以暂停云盘、邮箱或文档服务。"),
	  ZDOC("1. 您可以使用网盘、邮箱和文档服务。\n\n2. 我们可以暂停网盘、邮箱或文档服务。"),
	  0, 1, "the terms of a binding sentence" },
	/* the bold run-in title ends its own sentence ("Title.** Text"): its
	 * words do not make the explanation after it binding */
	{ "run-in title", DOC("4.1 **Limits of liability.** This part gives an overview of "
	  "the section."),
	  DOC("4.1 **Limits of liability.** This part gives a brief overview of the section."),
	  0, 0, "descriptive" },
	{ "registered office moved", DOC("4.1 Example Tours S.L., with registered office at "
	  "Ronda del Parque, 188, 12003 Castello, runs this website."),
	  DOC("4.1 Example Tours S.L., with registered office at Calle Mayor de Castro 9, "
	  "46007 Valencia, runs this website."), 1, 0, "contact details" },
	{ "office deadline", DOC("4.1 Notices must reach our registered office within 30 days."),
	  DOC("4.1 Notices must reach our registered office within 15 days."), 0, 1,
	  "a quantity" },
	/* the numbers are an address ("1号", a postcode); place names without
	 * capitals are only descriptive, but nothing is material */
	{ "zh address moved", ZDOC("1. 本公司注册地址为北京市海淀区中关村大街1号，邮编100080。"),
	  ZDOC("1. 本公司注册地址为上海市浦东新区世纪大道100号，邮编200120。"), 0, 0,
	  "descriptive" },
	/* the names are elsewhere in the text (a heading), but taken from a
	 * list they are its items: not moved */
	{ "list names elsewhere", DOC("4.1 If you are from a place outside mainland China, "
	  "Hong Kong, Macau, your contract is with Example Asia Ltd.\n\n## 5. Hong Kong, "
	  "Macau\n\n5.1 These rules apply to members there."),
	  DOC("4.1 If you are from a place outside mainland China, your contract is with "
	  "Example Asia Ltd.\n\n## 5. Hong Kong, Macau\n\n5.1 These rules apply to members "
	  "there."), 0, 1, "an item of a list" },
	/* the rules above must not swallow what binds (review cases) */
	{ "etc. aside, negation", DOC("4.1 Your data stays ours (we will not sell it, etc.)."),
	  DOC("4.1 Your data stays ours (we will sell it, etc.)."), 0, 1, "modality" },
	{ "etc. aside, data collected", DOC("4.1 We collect some details (name, email, etc.)."),
	  DOC("4.1 We collect some details (name, email, location, health data, etc.)."),
	  0, 1, "an item of a list" },
	{ "zh etc. data collected", ZDOC("1. 我们收集信息（姓名等）。"),
	  ZDOC("1. 我们收集信息（姓名、健康数据等）。"), 0, 1, "" },
	{ "rename of a party", DOC("4.1 This agreement is between you and Acme GmbH.\n\n"
	  "4.2 Acme GmbH processes your data."),
	  DOC("4.1 This agreement is between you and Globex GmbH.\n\n4.2 Globex GmbH "
	  "processes your data."), 0, 1, "a party" },
	{ "amount near an e-mail", DOC("4.1 If you email us, compensation is capped at 50000 "
	  "euros per claim."),
	  DOC("4.1 If you email us, compensation is capped at 500 euros per claim."), 0, 1,
	  "a quantity" },
	{ "fee near an address", DOC("4.1 Write to our registered office; you must pay 10 EUR "
	  "per request."),
	  DOC("4.1 Write to our registered office; you must pay 500 EUR per request."), 0, 1,
	  "a quantity" },
	{ "representative and a waiver", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 You must contact our "
	  "representative before filing any claim, and you waive your right to sue us in "
	  "court."), 0, 1, "a provision" },
	{ "representative who shares", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 We have appointed Evil Corp Ltd "
	  "as our representative, and it may share your personal data with any third party."),
	  0, 1, "" },
	{ "zh representative and a waiver", ZDOC("1. 您应当妥善保管账号密码。"),
	  ZDOC("1. 您应当妥善保管账号密码。\n\n2. 您必须先联系我们的代表，并放弃起诉的权利。"),
	  0, 1, "" },
	{ "example", DOC("4.1 You must be able to form a binding contract, for example "
	  "you must not be under 18 years old."),
	  DOC("4.1 You must be able to form a binding contract."), 1, 0, "an example" },
	{ "rename", DOC("4.1 Payments are handled by Sendwave Payments for us."),
	  DOC("4.1 Payments are handled by Brightpay Payments for us."), 1, 0, "rename" },
	{ "legal form", DOC("4.1 This agreement is with Example Canada, Inc. and you."),
	  DOC("4.1 This agreement is with Example Canada, ULC and you."), 1, 0, "rename" },
	{ "moved", DOC("4.1 You must keep your password secret.\n\n"
	  "4.2 We may suspend accounts that send spam to other users."),
	  DOC("4.1 You must keep your password secret. We may suspend accounts that "
	  "send spam to other users."), 1, 0, "moved" },
	{ "moved paragraph", DOC("4.1 **Resale.** Except as we allow, you agree not to "
	  "resell the service or copy its data. We may suspend accounts that do.\n\n"
	  "4.2 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret. We may suspend accounts that do.\n\n"
	  "4.2 Resale\n\nExcept as we allow, you agree not to resell the service or copy "
	  "its data."), 1, 0, "moved" },
	{ "chrome", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\nWas this page helpful? Yes No"),
	  1, 0, "page chrome" },
	{ "announcement", DOC("4.1 You must keep your password secret."),
	  DOC("Notice: we are updating these terms. The new terms will take effect on "
	  "1 March 2027.\n\n4.1 You must keep your password secret."), 1, 0,
	  "announcement" },
	{ "heading", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n## 4A. Security\n\n"
	  "4A.1 You must keep your password secret too."), 0, 1, "provision" },
	{ "link list", DOC("4.1 We publish reports on removals in our report."),
	  DOC("4.1 We publish reports on removals in our [Reports Hub](https://a.example/hub), "
	  "including [Copyright Report](https://a.example/c)."), 1, 0, "link or anchor" },
	/* substantive, not operative */
	{ "click here", DOC("4.1 You must keep your password secret.\n\n4.2 Click "
	  "[here](https://a.example/more) to read about your rights."),
	  DOC("4.1 You must keep your password secret."), 0, 0, "descriptive" },
	{ "descriptive", DOC("4.1 The dashboard shows your usage in a chart."),
	  DOC("4.1 The dashboard shows your usage in a table and a chart."), 0, 0,
	  "descriptive" },
	{ "pointer", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 For more information "
	  "about your rights, please read our help centre."), 0, 0, "descriptive" },
	/* operative elements */
	{ "modal", DOC("4.1 We may delete inactive accounts after a year."),
	  DOC("4.1 We will delete inactive accounts after a year."), 0, 1,
	  "modality or polarity" },
	{ "negation", DOC("4.1 We share usage data with advertisers."),
	  DOC("4.1 We never share usage data with advertisers."), 0, 1,
	  "modality or polarity" },
	{ "number", DOC("4.1 You may cancel within 30 days of the order."),
	  DOC("4.1 You may cancel within 15 days of the order."), 0, 1, "a quantity" },
	{ "number word", DOC("4.1 Each guide may offer two tours a day."),
	  DOC("4.1 Each guide may offer one tour a day."), 0, 1, "a quantity" },
	{ "quantifier", DOC("4.1 You may use the data for internal purposes."),
	  DOC("4.1 You may use the data only for internal purposes."), 0, 1, "a quantity" },
	{ "condition", DOC("4.1 We will refund the fee within a month."),
	  DOC("4.1 We will refund the fee within a month unless you used the service."),
	  0, 1, "a condition" },
	{ "new entity", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 If you are visiting from the "
	  "UK, please refer to [Example Travel UK Ltd](https://a.example/uk)."), 0, 1,
	  "a party" },
	{ "entity", DOC("4.1 This agreement is between you and Example Services Europe SARL."),
	  DOC("4.1 This agreement is between you and Example EU SARL."), 0, 1, "a party" },
	{ "recipient", DOC("4.1 We share usage data with our hosting provider and payment processor."),
	  DOC("4.1 We share usage data with our hosting provider, Adnet Analytics and payment "
	  "processor."), 0, 1, "an item of a list" },
	{ "table row", DOC("4.1 We use these sub-processors:\n\n| Name | Purpose | Country |\n"
	  "|---|---|---|\n| Stripe | Payments | USA |\n| Xero | Accounting | USA |"),
	  DOC("4.1 We use these sub-processors:\n\n| Name | Purpose | Country |\n"
	  "|---|---|---|\n| Stripe | Payments | USA |\n| Modelco | Artificial Intelligence | USA |\n"
	  "| Xero | Accounting | USA |"), 0, 1, "an item of a list" },
	{ "list item", DOC("4.1 You may not upload content that:\n\n(a) infringes rights;\n\n"
	  "(b) contains malware;"),
	  DOC("4.1 You may not upload content that:\n\n(a) infringes rights;\n\n"
	  "(b) contains malware;\n\n(c) sexualises minors;"), 0, 1, "an item of a list" },
	{ "terms", DOC("4.1 You may not use the service to scrape websites."),
	  DOC("4.1 You may not use the service to train language models."), 0, 1,
	  "the terms of a binding sentence" },
	{ "provision", DOC("4.1 You must keep your password secret."),
	  DOC("4.1 You must keep your password secret.\n\n4.2 We may suspend your "
	  "account at our discretion."), 0, 1, "a provision" },
	/* Chinese */
	{ "zh function words", ZDOC("1. 您应当妥善保管账号密码。"),
	  ZDOC("1. 您应当妥善地保管账号的密码。"), 1, 0, "function words" },
	{ "zh cross-reference", ZDOC("1. 第五条的限制适用于所有套餐。"),
	  ZDOC("1. 第六条的限制适用于所有套餐。"), 1, 0, "cross-reference" },
	{ "zh chrome", ZDOC("1. 您应当妥善保管账号密码。"),
	  ZDOC("1. 您应当妥善保管账号密码。\n\n本页内容是否有帮助"), 1, 0, "page chrome" },
	{ "zh typo", ZDOC("1. 您应当妥善保管帐号密码。"), ZDOC("1. 您应当妥善保管账号密码。"),
	  1, 0, "typo fix" },
	{ "zh width", ZDOC("1. 您应当妥善保管账号密码(含子账号)。"),
	  ZDOC("1. 您应当妥善保管账号密码（含子账号）。"), 1, 0, "full-width" },
	{ "zh link", ZDOC("1. 详见[隐私政策](https://a.example/p1)。"),
	  ZDOC("1. 详见[隐私政策](https://a.example/p2)。"), 1, 0, "link or anchor" },
	{ "zh date", ZDOC("1. 更新日期：2025年1月1日"), ZDOC("1. 更新日期：2026年3月1日"),
	  1, 0, "date" },
	{ "zh phone", ZDOC("1. 如有疑问，请拨打客服电话010-12345678。"),
	  ZDOC("1. 如有疑问，请拨打客服电话010-87654321。"), 1, 0, "contact details" },
	{ "zh example", ZDOC("1. 您应当遵守法律，例如不得发布违法信息。"),
	  ZDOC("1. 您应当遵守法律，例如不得发布侵权信息。"), 1, 0, "an example" },
	{ "zh rename", ZDOC("1. 支付由Sendwave Payments为我们处理。"),
	  ZDOC("1. 支付由Brightpay Payments为我们处理。"), 1, 0, "rename" },
	{ "zh moved", ZDOC("1. 您应当妥善保管账号密码。\n\n## 五、费用\n\n1. 服务按月收费。"),
	  ZDOC("1. 服务按月收费。\n\n## 五、费用\n\n1. 您应当妥善保管账号密码。"), 1, 0,
	  "renumbered from" },
	{ "zh descriptive", ZDOC("1. 本节介绍我们提供的各项服务。"),
	  ZDOC("1. 本节简要介绍我们提供的各项服务。"), 0, 0, "descriptive" },
	{ "zh numeral", ZDOC("1. 您应当在三十日内付款。"), ZDOC("1. 您应当在十五日内付款。"),
	  0, 1, "a quantity" },
	{ "zh condition", ZDOC("1. 我们将在三十日内退款。"),
	  ZDOC("1. 如果您未使用服务，我们将在三十日内退款。"), 0, 1, "a condition" },
	{ "zh party", ZDOC("1. 本协议由您与示例科技有限公司订立。"),
	  ZDOC("1. 本协议由您与示例网络有限公司订立。"), 0, 1, "a party" },
	{ "zh recipient", ZDOC("1. 我们与以下第三方共享信息：支付服务商、云服务商。"),
	  ZDOC("1. 我们与以下第三方共享信息：支付服务商、广告商、云服务商。"), 0, 1,
	  "an item of a list" },
	{ "zh terms", ZDOC("1. 您不得将接口用于爬取网站。"), ZDOC("1. 您不得将接口用于训练模型。"),
	  0, 1, "the terms of a binding sentence" },
	{ "zh modal", ZDOC("1. 我们可以在三十日后删除闲置账号。"),
	  ZDOC("1. 我们将在三十日后删除闲置账号。"), 0, 1, "modality or polarity" },
	{ "zh number", ZDOC("1. 您可以在订单后30日内取消。"),
	  ZDOC("1. 您可以在订单后15日内取消。"), 0, 1, "a quantity" },
	{ "zh provision", ZDOC("1. 您应当妥善保管账号密码。"),
	  ZDOC("1. 您应当妥善保管账号密码。\n\n2. 您不得将接口用于人脸识别以外的用途。"),
	  0, 1, "a provision" },
};

Test(judge, edit_classes)
{
	size_t i, k;

	for (i = 0; i < sizeof(class_cases) / sizeof(class_cases[0]); i++) {
		const struct class_case *c = &class_cases[i];
		struct judge_result r;
		const struct judge_change *d = NULL;

		compare(c->old, c->new, &r);
		cr_assert(r.changed, "%s", c->name);
		cr_assert_geq(r.n, 1, "%s: no change", c->name);
		/* the deciding change: a material one, else a substantive one */
		for (k = 0; k < r.n && !d; k++)
			if (r.v[k].material)
				d = &r.v[k];
		for (k = 0; k < r.n && !d; k++)
			if (!r.v[k].editorial)
				d = &r.v[k];
		if (!d)
			d = &r.v[0];
		cr_expect_eq(r.material, c->material, "%s: material %d: %s",
		    c->name, r.material, d->reason);
		cr_expect_eq(judge_editorial_only(&r), c->editorial,
		    "%s: editorial %d: %s", c->name, judge_editorial_only(&r),
		    d->reason);
		cr_expect_not_null(strstr(d->reason, c->reason), "%s: want '%s', got: %s",
		    c->name, c->reason, d->reason);
		judge_result_free(&r);
	}
}

/* A banner announcing new terms is no change of the terms, but its date
 * is the earliest warning there is. */
Test(judge, announcement_date)
{
	static const char a[] = "# Terms\n\n## 1. Use\n\n1.1 You must keep your password secret.\n";
	static const char b[] = "# Terms\n\nWe are updating our terms. The new terms will take "
	    "effect on 1 March 2027.\n\n## 1. Use\n\n1.1 You must keep your password secret.\n";
	static const char c[] = "# 条款\n\n我们即将更新本协议，新协议将于2027年3月1日生效。\n\n"
	    "## 一、使用\n\n1. 您应当妥善保管账号密码。\n";
	static const char d[] = "# 条款\n\n## 一、使用\n\n1. 您应当妥善保管账号密码。\n";
	struct judge_result r;
	struct strbuf js = STRBUF_INIT;
	json_t *j;

	compare(a, b, &r);
	cr_assert_not(r.material);
	cr_assert_eq(r.announced, date_from_ymd(2027, 3, 1));
	judge_json(&r, &js);
	j = parse_json(&js);
	cr_assert_str_eq(json_string_value(json_object_get(j, "announced")), "2027-03-01");
	json_decref(j);
	strbuf_release(&js);
	judge_result_free(&r);

	compare(d, c, &r);
	cr_assert_not(r.material);
	cr_assert_eq(r.announced, date_from_ymd(2027, 3, 1));
	judge_result_free(&r);

	compare(b, a, &r);	/* the banner taken down announces nothing */
	cr_assert_eq(r.announced, DATE_NONE);
	judge_result_free(&r);
}

/* "gitnfa" and "jgfaha" have the same 32-bit key (FNV-1a over their code
 * points): a clause whose only change is one for the other is changed,
 * whether the tokens line up one to one or the diff aligns around them. */
Test(judge, key_collision_is_a_change)
{
	struct judge_result r;

	compare(DOC("4.1 You may gitnfa the service for internal work."),
	    DOC("4.1 You may jgfaha the service for internal work."), &r);
	cr_assert(r.changed);
	cr_expect(r.material, "%s", r.n ? r.v[0].reason : "(none)");
	judge_result_free(&r);
	compare(DOC("4.1 You may gitnfa the service for internal work."),
	    DOC("4.1 You may jgfaha the service for all internal work."), &r);
	cr_assert(r.material);
	cr_expect_not_null(strstr(r.v[0].reason, "jgfaha"), "%s", r.v[0].reason);
	judge_result_free(&r);
	/* nor is it a list re-ordered */
	compare(DOC("4.1 We share usage data with: gitnfa, Brightpay, Sendwave."),
	    DOC("4.1 We share usage data with: Brightpay, jgfaha, Sendwave."), &r);
	cr_assert(r.changed);
	cr_expect_null(strstr(r.v[0].reason, "re-ordered"), "%s", r.v[0].reason);
	cr_expect(r.material, "%s", r.v[0].reason);
	judge_result_free(&r);
}
