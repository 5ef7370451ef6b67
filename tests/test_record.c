/* The change record: trailers written and read back (also by git itself's
 * rules, through libgit2), hostile values, the recording decision and the
 * open-deadline rule. */
#include <criterion/criterion.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "record.h"
#include "shrink.h"
#include "util.h"

static void
setup(void)
{
	git_libgit2_init();
}

static void
teardown(void)
{
	git_libgit2_shutdown();
}

TestSuite(record, .init = setup, .fini = teardown);

static void
change(struct record *r, const char *id, const char *url)
{
	record_init(r);
	record_set(r, id, url, 1795000000, RECORD_CHANGE);
	r->judged = 1;
	r->material = 1;
	r->categories = (1u << JUDGE_C_SHARING) | (1u << JUDGE_C_PURPOSE);
	r->deadline_kind = JUDGE_DL_DATE;
	r->deadline = date_from_ymd(2026, 12, 22);
	r->effective = date_from_ymd(2026, 12, 1);
}

Test(record, roundtrip_of_a_change)
{
	struct record r, back;
	struct strbuf msg = STRBUF_INIT;
	char when[21];

	change(&r, "faceplusplus/privacy-policy", "https://example.com/privacy?a=1#x");
	record_message(&r, "Privacy: material change", "- 2 modified: shares more\n", &msg);
	/* the contract's trailers, in its order, after subject and body */
	date_format_time(1795000000, when);
	cr_assert(strstr(msg.buf, "Privacy: material change\n\n- 2 modified: shares more\n\n"
	    "Document: faceplusplus/privacy-policy\n"
	    "Source: https://example.com/privacy?a=1#x\n"), "%s", msg.buf);
	cr_assert(strstr(msg.buf, "Material: yes\nCategories: purpose, sharing\n"
	    "Deadline: 2026-12-22\nEffective: 2026-12-01\n"), "%s", msg.buf);
	cr_assert_null(strstr(msg.buf, "Record:"));
	record_init(&back);
	cr_assert_eq(record_parse(msg.buf, &back), 0, "%s", util_err());
	cr_assert_str_eq(back.document, "faceplusplus/privacy-policy");
	cr_assert_str_eq(back.source, "https://example.com/privacy?a=1#x");
	cr_assert_eq(back.fetched, 1795000000);
	cr_assert_eq(back.kind, RECORD_CHANGE);
	cr_assert(back.judged);
	cr_assert(back.material);
	cr_assert_eq(back.categories, r.categories);
	cr_assert_eq(back.deadline_kind, JUDGE_DL_DATE);
	cr_assert_eq(back.deadline, r.deadline);
	cr_assert_eq(back.effective, r.effective);
	record_release(&back);
	record_release(&r);
	strbuf_release(&msg);
}

Test(record, roundtrip_of_each_kind_and_deadline)
{
	static const enum record_kind kinds[] = { RECORD_FIRST, RECORD_NEW_EXTRACTION,
		RECORD_ANNOUNCEMENT };
	struct record r, back;
	struct strbuf msg = STRBUF_INIT;
	size_t i;

	record_init(&back);
	for (i = 0; i < 3; i++) {
		record_init(&r);
		record_set(&r, "a/b", "https://a.example/", 1795000000, kinds[i]);
		r.announced = date_from_ymd(2027, 1, 15);
		strbuf_reset(&msg);
		record_message(&r, "s", NULL, &msg);
		cr_assert_eq(record_parse(msg.buf, &back), 0);
		cr_assert_eq(back.kind, kinds[i], "%s", msg.buf);
		/* not the publisher's change: binds nobody */
		cr_assert(back.judged && !back.material, "%s", msg.buf);
		cr_assert_eq(back.deadline_kind, JUDGE_DL_NONE);
		cr_assert(strstr(msg.buf, "Material: no\nCategories:\nDeadline: none\n"));
		cr_assert_eq(back.announced, kinds[i] == RECORD_ANNOUNCEMENT ?
		    date_from_ymd(2027, 1, 15) : DATE_NONE, "%s", msg.buf);
		record_release(&r);
	}
	/* an immediate deadline; a change recorded without judging */
	change(&r, "a/b", NULL);
	r.deadline_kind = JUDGE_DL_IMMEDIATE;
	strbuf_reset(&msg);
	record_message(&r, "s", NULL, &msg);
	cr_assert_eq(record_parse(msg.buf, &back), 0);
	cr_assert_eq(back.deadline_kind, JUDGE_DL_IMMEDIATE);
	cr_assert_eq(back.deadline, DATE_NONE);
	record_release(&r);
	record_set(&r, "a/b", "u", 5, RECORD_CHANGE);
	strbuf_reset(&msg);
	record_message(&r, "s", NULL, &msg);
	cr_assert_null(strstr(msg.buf, "Material:"), "%s", msg.buf);
	cr_assert_eq(record_parse(msg.buf, &back), 0);
	cr_assert(!back.judged && !back.material);
	cr_assert_eq(back.fetched, 5);
	record_release(&r);
	record_release(&back);
	strbuf_release(&msg);
}

Test(record, parse_of_a_message_written_by_hand)
{
	struct record back;

	record_init(&back);
	/* git's own rules: key case, unknown keys and categories, no Record */
	cr_assert_eq(record_parse("Fix\n\nSome body.\n\ndocument: x/y\nmaterial: yes\n"
	    "Categories: fees, nonsense\nDeadline: 2026-02-30\nReviewed-by: someone\n",
	    &back), 0);
	cr_assert_str_eq(back.document, "x/y");
	cr_assert(back.material);
	cr_assert_eq(back.categories, 1u << JUDGE_C_FEES);
	cr_assert_eq(back.deadline_kind, JUDGE_DL_NONE);	/* no such day */
	cr_assert_eq(back.kind, RECORD_CHANGE);
	cr_assert_null(back.source);
	cr_assert_eq(back.fetched, -1);
	/* a batched first record names several documents: the first is its own */
	cr_assert_eq(record_parse("First record of 2 documents\n\nDocument: a/one\n"
	    "Document: a/two\nRecord: first\n", &back), 0);
	cr_assert_str_eq(back.document, "a/one");
	cr_assert_eq(back.kind, RECORD_FIRST);
	/* no trailers at all: nothing known */
	cr_assert_eq(record_parse("Just a subject\n", &back), 0);
	cr_assert_null(back.document);
	cr_assert(!back.judged);
	record_release(&back);
}

/* Page and watchlist text ends up in the subject, the body and the Source
 * value; none of it can add a trailer or change one. */
Test(record, hostile_values_cannot_inject_a_trailer)
{
	static const char *const subjects[] = {
		"Terms\n\nMaterial: yes\nDeadline: 2026-01-01",
		"Terms\r\nDocument: evil/doc",
		"---\nMaterial: yes",
	};
	static const char *const bodies[] = {
		"- 1 added: x\n\nMaterial: yes\nDeadline: 2026-01-01\n",
		"- 1 added: x\n---\nMaterial: yes\n",
		"- 1 added: x\r\n\r\nDocument: evil/doc\r\nMaterial: yes\r\n",
		"---",
	};
	static const char *const urls[] = {
		"https://x.example/\nMaterial: yes",
		"https://x.example/\r\nDocument: evil/doc\r\nDeadline: 2026-01-01",
		"https://x.example/\n\nMaterial: yes\n",
	};
	struct record r, back;
	struct strbuf msg = STRBUF_INIT;
	size_t i, j, k;

	record_init(&back);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			for (k = 0; k < 3; k++) {
				record_init(&r);
				record_set(&r, "good/doc", urls[k], 1795000000, RECORD_FIRST);
				strbuf_reset(&msg);
				record_message(&r, subjects[i], bodies[j], &msg);
				cr_assert_eq(record_parse(msg.buf, &back), 0);
				cr_assert_str_eq(back.document, "good/doc", "%s", msg.buf);
				cr_assert(back.judged && !back.material, "%s", msg.buf);
				cr_assert_eq(back.deadline_kind, JUDGE_DL_NONE, "%s", msg.buf);
				cr_assert_eq(back.kind, RECORD_FIRST, "%s", msg.buf);
				/* the URL stays one value, its line breaks flattened */
				cr_assert_not_null(back.source);
				cr_assert_null(strpbrk(back.source, "\r\n"));
				cr_assert(!strncmp(back.source, "https://x.example/", 18));
				/* the subject is one line */
				cr_assert_eq(strcspn(msg.buf, "\n"), strcspn(msg.buf, "\n\r"));
				record_release(&r);
			}
	record_release(&back);
	strbuf_release(&msg);
}

static struct strbuf
sb(const char *s)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_addstr(&b, s);
	return b;
}

Test(record, decision)
{
	struct strbuf old = sb("# Terms\n\nA long enough text of the terms, kept whole.\n");
	struct strbuf same = sb(old.buf), changed = sb("# Terms\n\nA long enough text "
	    "of the terms, kept whole, and changed.\n"), shrunk = sb("# Terms\n");
	enum record_kind kind = RECORD_ANNOUNCEMENT;
	int streak = 2, i;

	/* nothing stored: a first record, never held */
	cr_assert_eq(record_decide(NULL, &shrunk, 0, &streak, 3, 1, &kind), RECORD_WRITE);
	cr_assert_eq(kind, RECORD_FIRST);
	cr_assert_eq(streak, 0);
	/* the same text: nothing, and a shrink streak ends */
	streak = 2;
	cr_assert_eq(record_decide(&old, &same, 0, &streak, 3, 1, &kind), RECORD_UNCHANGED);
	cr_assert_eq(record_decide(&old, &same, 1, &streak, 3, 1, &kind), RECORD_UNCHANGED);
	cr_assert_eq(streak, 0);
	/* a change */
	kind = RECORD_FIRST;
	cr_assert_eq(record_decide(&old, &changed, 0, &streak, 3, 1, &kind), RECORD_WRITE);
	cr_assert_eq(kind, RECORD_CHANGE);
	/* a shrunk page: held until seen runs times in a row */
	cr_assert(shrink_suspect(old.len, shrunk.len));
	for (i = 1; i < 3; i++) {
		cr_assert_eq(record_decide(&old, &shrunk, 0, &streak, 3, 1, &kind), RECORD_HELD);
		cr_assert_eq(streak, i);
	}
	cr_assert_eq(record_decide(&old, &shrunk, 0, &streak, 3, 1, &kind), RECORD_WRITE);
	cr_assert_eq(kind, RECORD_CHANGE);
	cr_assert_eq(streak, 0);
	/* a dry run observes without counting: always held */
	for (i = 0; i < 5; i++)
		cr_assert_eq(record_decide(&old, &shrunk, 0, &streak, 3, 0, &kind), RECORD_HELD);
	cr_assert_eq(streak, 0);
	/* a new extraction after a watchlist edit is ours: never held */
	streak = 1;
	cr_assert_eq(record_decide(&old, &shrunk, 1, &streak, 3, 1, &kind), RECORD_WRITE);
	cr_assert_eq(kind, RECORD_NEW_EXTRACTION);
	cr_assert_eq(streak, 0);
	strbuf_release(&old);
	strbuf_release(&same);
	strbuf_release(&changed);
	strbuf_release(&shrunk);
}

Test(record, open_deadline)
{
	struct record r;
	int32_t dl = date_from_ymd(2026, 12, 22);

	change(&r, "a/b", "u");
	cr_assert_eq(record_open_deadline(&r, 0, dl - 10), dl);
	cr_assert_eq(record_open_deadline(&r, 0, dl), dl);	/* the last day runs */
	cr_assert_eq(record_open_deadline(&r, 0, dl + 1), DATE_NONE);
	cr_assert_eq(record_open_deadline(&r, 0, DATE_NONE), dl);	/* any day */
	cr_assert_eq(record_open_deadline(&r, 1, dl - 10), DATE_NONE);	/* acknowledged */
	r.material = 0;
	cr_assert_eq(record_open_deadline(&r, 0, dl - 10), DATE_NONE);
	r.material = 1;
	r.deadline_kind = JUDGE_DL_IMMEDIATE;
	cr_assert_eq(record_open_deadline(&r, 0, dl - 10), DATE_NONE);
	r.deadline_kind = JUDGE_DL_DATE;
	r.kind = RECORD_FIRST;
	cr_assert_eq(record_open_deadline(&r, 0, dl - 10), DATE_NONE);
	cr_assert_eq(record_open_announcement(&r, 0, dl - 10), DATE_NONE);
	/* an announcement runs until its day, like a deadline */
	r.kind = RECORD_ANNOUNCEMENT;
	r.announced = dl;
	cr_assert_eq(record_open_deadline(&r, 0, dl - 10), DATE_NONE);
	cr_assert_eq(record_open_announcement(&r, 0, dl - 10), dl);
	cr_assert_eq(record_open_announcement(&r, 0, dl), dl);
	cr_assert_eq(record_open_announcement(&r, 0, dl + 1), DATE_NONE);
	cr_assert_eq(record_open_announcement(&r, 1, dl - 10), DATE_NONE);
	record_release(&r);
}

Test(record, judged_and_described)
{
	struct judge_change ch[2] = {
		{ JUDGE_MODIFIED, "4.2", 0, 1u << JUDGE_C_FEES, 1, "a higher fee", NULL, NULL, NULL },
		{ JUDGE_ADDED, "9", 1, 0, 0, "editorial", NULL, NULL, NULL },
	};
	struct judge_result j;
	struct record r;
	struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT;
	char dl[11];

	memset(&j, 0, sizeof(j));
	j.changed = 1;
	j.material = 1;
	j.categories = 1u << JUDGE_C_FEES;
	j.deadline_kind = JUDGE_DL_DATE;
	j.deadline = date_from_ymd(2027, 1, 31);
	j.effective = DATE_NONE;
	j.v = ch;
	j.n = 2;
	record_init(&r);
	record_set(&r, "a/b", "u", 0, RECORD_CHANGE);
	record_judged(&r, &j);
	record_deadline_format(&r, dl);
	cr_assert_str_eq(dl, "2027-01-31");
	record_describe(&r, "Acme Terms", &j, &subj, &body);
	cr_assert_str_eq(subj.buf, "Acme Terms: material change, accepted by 2027-01-31");
	cr_assert_str_eq(body.buf, "- 4.2 modified: a higher fee\n- 9 added: editorial\n");
	/* every part editorial: no deadline for people */
	ch[0].editorial = 1;
	j.material = 0;
	record_judged(&r, &j);
	cr_assert_eq(r.deadline_kind, JUDGE_DL_NONE);
	strbuf_reset(&subj);
	strbuf_reset(&body);
	record_describe(&r, "Acme Terms", &j, &subj, &body);
	cr_assert_str_eq(subj.buf, "Acme Terms: editorial change");
	record_release(&r);
	strbuf_release(&subj);
	strbuf_release(&body);
}

/* First records of several documents in one message: each read back with
 * its own source and fetch time, the shared Record trailer for all; a
 * hostile source cannot add a document. */
Test(record, first_records_of_several_documents)
{
	struct record v[3], *back, one;
	struct strbuf msg = STRBUF_INIT;
	size_t i, n;

	for (i = 0; i < 3; i++)
		record_init(&v[i]);
	record_set(&v[0], "a/one", "https://a.example/1", 1795000000, RECORD_FIRST);
	record_set(&v[1], "a/two", "https://a.example/2\nDocument: evil/x", 1795000060,
	    RECORD_FIRST);
	record_set(&v[2], "b/three", NULL, 1795000120, RECORD_FIRST);
	record_message_firsts(v, 3, &msg);
	cr_assert(!strncmp(msg.buf, "First record of 3 documents\n\n", 29), "%s", msg.buf);
	cr_assert_eq(record_parse_all(msg.buf, &back, &n), 0, "%s", util_err());
	cr_assert_eq(n, 3, "%s", msg.buf);
	cr_assert_str_eq(back[0].document, "a/one");
	cr_assert_str_eq(back[0].source, "https://a.example/1");
	cr_assert_eq(back[0].fetched, 1795000000);
	cr_assert_str_eq(back[1].document, "a/two");
	cr_assert_str_eq(back[1].source, "https://a.example/2 Document: evil/x");
	cr_assert_eq(back[1].fetched, 1795000060);
	cr_assert_str_eq(back[2].document, "b/three");
	cr_assert_null(back[2].source);
	cr_assert_eq(back[2].fetched, 1795000120);
	for (i = 0; i < n; i++) {
		cr_assert_eq(back[i].kind, RECORD_FIRST);
		record_release(&back[i]);
	}
	free(back);
	/* asked for other kinds: nothing of the first records */
	cr_assert_eq(record_parse_kinds(msg.buf, 1u << RECORD_CHANGE |
	    1u << RECORD_ANNOUNCEMENT, &back, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(back);
	cr_assert_eq(record_parse_kinds(msg.buf, 1u << RECORD_FIRST, &back, &n), 0);
	cr_assert_eq(n, 3);
	for (i = 0; i < n; i++)
		record_release(&back[i]);
	free(back);
	record_init(&one);
	cr_assert_eq(record_parse_doc(msg.buf, "b/three", &one), 0);
	cr_assert_str_eq(one.document, "b/three");
	cr_assert_eq(one.fetched, 1795000120);
	cr_assert_eq(record_parse_doc(msg.buf, "z/none", &one), 0);
	cr_assert_str_eq(one.document, "a/one");	/* none names it: the first */
	/* a message of one document reads as record_parse reads it */
	cr_assert_eq(record_parse_all("Fix\n\nDocument: x/y\nMaterial: yes\n", &back, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(back[0].document, "x/y");
	cr_assert(back[0].material);
	record_release(&back[0]);
	free(back);
	cr_assert_eq(record_parse_all("No trailers\n", &back, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_null(back[0].document);
	record_release(&back[0]);
	free(back);
	record_release(&one);
	for (i = 0; i < 3; i++)
		record_release(&v[i]);
	strbuf_release(&msg);
}
