/* mail: MIME structure, RFC 2047, header injection, iCalendar. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "date.h"
#include "mail.h"
#include "strbuf.h"
#include "util.h"
#include "mailcheck.h"
#include "testutil.h"

static const char *const to2[] = { "legal@example.com", "privacy@example.org" };

static struct judge_change fixture_changes[2];
static struct judge_result fixture_judge;

static void
fill_judge(void)
{
	memset(fixture_changes, 0, sizeof(fixture_changes));
	memset(&fixture_judge, 0, sizeof(fixture_judge));
	fixture_changes[0].kind = JUDGE_MODIFIED;
	fixture_changes[0].clause = "4.2";
	fixture_changes[0].categories = 1u << JUDGE_C_SHARING;
	fixture_changes[0].material = 1;
	fixture_changes[0].reason = "adds sharing with advertising partners, which the policy calls a material change";
	fixture_changes[0].old_text = "We do not sell your face data.";
	fixture_changes[0].new_text = "We may share your face data with partners.";
	fixture_changes[0].redline = "We [-do not sell-]{+may share+} your face data{+ with partners+}.";
	fixture_changes[1].kind = JUDGE_MODIFIED;
	fixture_changes[1].clause = "9";
	fixture_changes[1].editorial = 1;
	fixture_changes[1].reason = "punctuation only";
	fixture_changes[1].redline = "Contact us[-:-]{+ at+} <privacy@example.com>";
	fixture_judge.changed = 1;
	fixture_judge.material = 1;
	fixture_judge.basis = "own-definition";
	fixture_judge.deadline_kind = JUDGE_DL_DATE;
	fixture_judge.deadline = date_from_ymd(2026, 12, 22);
	fixture_judge.objection = "Write to privacy@example.com before the changes take effect.";
	fixture_judge.material_reason = "\"any change to how we share biometric data is a material change\"";
	fixture_judge.v = fixture_changes;
	fixture_judge.n = 2;
}

static void
fill_msg(struct mail_msg *m, const char *title)
{
	fill_judge();
	memset(m, 0, sizeof(*m));
	m->kind = MAIL_CHANGE;
	m->from = "clausewatch@example.net";
	m->to = to2;
	m->nto = 2;
	m->team = "legal";
	m->doc_id = "faceplusplus/privacy-policy";
	m->title = title;
	m->url = "https://www.example.com/privacy?a=1&b=2";
	m->commit = "0123456789abcdef0123456789abcdef01234567";
	m->store = "/var/lib/clause watch/store";
	m->material = 1;
	m->deadline_kind = JUDGE_DL_DATE;
	m->deadline = fixture_judge.deadline;
	m->judge = &fixture_judge;
	m->date = 1795334400;	/* 2026-11-22T08:00:00Z */
}

/* The body of the part whose Content-Type starts with type. */
static int
part_body(const char *msg, const char *type, struct strbuf *out)
{
	const char *p = strstr(msg, type), *s, *e;

	if (!p || !(s = strstr(p, "\r\n\r\n")))
		return -1;
	s += 4;
	if (!(e = strstr(s, "\r\n--")))
		return -1;
	strbuf_add(out, s, (size_t)(e - s));
	return 0;
}

Test(mail, structure_headers_boundaries)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, h = STRBUF_INIT, open = STRBUF_INIT;
	const char *names[] = { "From", "To", "Subject", "Date", "Message-ID",
	    "In-Reply-To", "References", "MIME-Version", "Auto-Submitted",
	    "Content-Type" };
	char *ct, *b, *v;
	size_t i;

	fill_msg(&m, "Face++ Privacy Policy");
	cr_assert_eq(mail_compose(&out, &m), 0, "%s", util_err());
	assert_lines_ok(out.buf, out.len, 998);
	headers_of(out.buf, &h);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = header(h.buf, names[i]);
		cr_assert(v, "missing %s", names[i]);
		free(v);
	}
	v = header(h.buf, "Auto-Submitted");
	cr_assert_str_eq(v, "auto-generated");
	free(v);
	v = header(h.buf, "Date");
	cr_assert_str_eq(v, "Sun, 22 Nov 2026 08:00:00 +0000");
	free(v);
	v = header(h.buf, "Message-ID");
	cr_assert_str_eq(v, "<change.0123456789abcdef0123456789abcdef01234567.legal@example.net>");
	free(v);
	v = header(h.buf, "References");
	cr_assert_str_eq(v, "<doc.faceplusplus=2Fprivacy-policy@example.net>");
	free(v);
	v = header(h.buf, "To");
	cr_assert_str_eq(v, "legal@example.com, privacy@example.org");
	free(v);
	v = header(h.buf, "Subject");
	{
		struct strbuf d = STRBUF_INIT;

		rfc2047_decode(&d, v);
		cr_assert_str_eq(d.buf, "Material change: Face++ Privacy Policy \xe2\x80\x94 accepted by 2026-12-22");
		strbuf_release(&d);
	}
	free(v);

	/* dated: mixed { alternative { plain, html }, calendar } */
	ct = header(h.buf, "Content-Type");
	cr_assert(strstr(ct, "multipart/mixed"), "%s", ct);
	b = strstr(ct, "boundary=\"");
	cr_assert(b);
	b += 10;
	*strchr(b, '"') = '\0';
	strbuf_addf(&open, "\r\n--%s\r\nContent-Type: multipart/alternative;", b);
	cr_assert(strstr(out.buf, open.buf), "alternative not first in mixed");
	strbuf_reset(&open);
	strbuf_addf(&open, "\r\n--%s--\r\n", b);
	cr_assert(strstr(out.buf, open.buf), "mixed not closed");
	cr_assert(strstr(out.buf, "Content-Type: text/plain; charset=UTF-8"));
	cr_assert(strstr(out.buf, "Content-Type: text/html; charset=UTF-8"));
	cr_assert(strstr(out.buf, "Content-Type: text/calendar; charset=UTF-8; method=PUBLISH"));
	cr_assert(strstr(out.buf, "Content-Type: text/plain") <
	    strstr(out.buf, "Content-Type: text/html"), "plain must come first");
	free(ct);
	strbuf_release(&out);
	strbuf_release(&h);
	strbuf_release(&open);
}

/* Keys hold nothing install-specific (failure.DOC.TEAM.DATE is the same
 * for every install watching DOC): the id's right side is the From
 * domain, so two installs mailing one list never share an id. */
Test(mail, message_id_names_the_install)
{
	const char *froms[] = { "cw@legal.example.com", "Alerts@Ops..Example.ORG." };
	const char *want_id[] = {
		"<failure.faceplusplus=2Fprivacy-policy.legal.2026-11-22@legal.example.com>",
		"<failure.faceplusplus=2Fprivacy-policy.legal.2026-11-22@ops.example.org>" };
	const char *want_root[] = { "<doc.faceplusplus=2Fprivacy-policy@legal.example.com>",
		"<doc.faceplusplus=2Fprivacy-policy@ops.example.org>" };
	struct mail_msg m;
	size_t i;

	for (i = 0; i < 2; i++) {
		struct strbuf out = STRBUF_INIT, h = STRBUF_INIT, key = STRBUF_INIT;
		char *v;

		fill_msg(&m, "Terms");
		m.kind = MAIL_FAILURE;
		m.failure = "HTTP 503";
		m.from = froms[i];
		cr_assert_eq(mail_compose(&out, &m), 0, "%s", util_err());
		cr_assert_eq(mail_key(&key, &m), 0);
		/* the key (the ledger's idempotency) does not change */
		cr_assert_str_eq(key.buf, "failure.faceplusplus/privacy-policy.legal.2026-11-22");
		headers_of(out.buf, &h);
		v = header(h.buf, "Message-ID");
		cr_assert_str_eq(v, want_id[i]);
		free(v);
		v = header(h.buf, "In-Reply-To");
		cr_assert_str_eq(v, want_root[i]);
		free(v);
		v = header(h.buf, "References");
		cr_assert_str_eq(v, want_root[i]);
		free(v);
		cr_assert_null(strstr(out.buf, "@clausewatch>"));
		strbuf_release(&out);
		strbuf_release(&h);
		strbuf_release(&key);
	}
}

Test(mail, deterministic)
{
	struct mail_msg m;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	fill_msg(&m, "Face++ Privacy Policy");
	cr_assert_eq(mail_compose(&a, &m), 0);
	cr_assert_eq(mail_compose(&b, &m), 0);
	cr_assert_eq(a.len, b.len);
	cr_assert(memcmp(a.buf, b.buf, a.len) == 0);
	strbuf_release(&a);
	strbuf_release(&b);
}

Test(mail, immediate_has_no_calendar)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, s = STRBUF_INIT, h = STRBUF_INIT;
	char *ct;

	fill_msg(&m, "Developer Agreement");
	m.deadline_kind = JUDGE_DL_IMMEDIATE;
	mail_subject(&s, &m);
	cr_assert_str_eq(s.buf, "Material change: Developer Agreement \xe2\x80\x94 continued use already counts as acceptance");
	cr_assert_eq(mail_compose(&out, &m), 0);
	cr_assert_null(strstr(out.buf, "text/calendar"));
	headers_of(out.buf, &h);
	ct = header(h.buf, "Content-Type");
	cr_assert(strstr(ct, "multipart/alternative"), "%s", ct);
	free(ct);
	strbuf_release(&out);
	strbuf_release(&s);
	strbuf_release(&h);
}

Test(mail, subjects_by_kind)
{
	struct mail_msg m;
	struct strbuf s = STRBUF_INIT;

	fill_msg(&m, "Terms");
	m.kind = MAIL_REMINDER;
	m.days_left = 7;
	mail_subject(&s, &m);
	cr_assert_str_eq(s.buf, "Reminder: 7 days left \xe2\x80\x94 Material change: Terms \xe2\x80\x94 accepted by 2026-12-22");
	strbuf_reset(&s);
	m.kind = MAIL_CHANGE;
	m.material = 0;
	m.title = NULL;
	fixture_changes[0].editorial = 1;
	mail_subject(&s, &m);
	cr_assert(!strncmp(s.buf, "Editorial change: faceplusplus/privacy-policy", 45), "%s", s.buf);
	strbuf_reset(&s);
	m.kind = MAIL_ANNOUNCEMENT;
	m.title = "Terms";
	m.announced = date_from_ymd(2027, 3, 1);
	mail_subject(&s, &m);
	cr_assert_str_eq(s.buf, "Announced: new terms of Terms take effect 2027-03-01");
	strbuf_reset(&s);
	cr_assert_eq(mail_key(&s, &m), 0);
	cr_assert_str_eq(s.buf, "announcement.0123456789abcdef0123456789abcdef01234567.legal");
	strbuf_release(&s);
}

Test(mail, rfc2047_round_trip)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, h = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	const char *title = "\xe6\x97\xb7\xe8\xa7\x86\xe9\x9a\x90\xe7\xa7\x81\xe6\x94\xbf\xe7\xad\x96 "
	    "Face++ \xc3\x9c" "bersicht und Datenschutzerkl\xc3\xa4rung f\xc3\xbcr Entwickler";
	char *subj;
	const char *p;

	fill_msg(&m, title);
	cr_assert_eq(mail_compose(&out, &m), 0);
	/* the header section is pure ASCII */
	for (p = out.buf; p < strstr(out.buf, "\r\n\r\n"); p++)
		cr_assert((unsigned char)*p < 0x80, "8-bit header byte");
	headers_of(out.buf, &h);
	subj = header(h.buf, "Subject");
	cr_assert(strstr(subj, "=?UTF-8?B?"));
	rfc2047_decode(&got, subj);
	mail_subject(&want, &m);
	cr_assert_str_eq(got.buf, want.buf);
	cr_assert(strstr(got.buf, title));
	free(subj);
	strbuf_release(&out);
	strbuf_release(&h);
	strbuf_release(&want);
	strbuf_release(&got);
}

Test(mail, header_injection_is_impossible)
{
	const char *titles[] = {
		"Policy\r\nBcc: evil@x",
		"Policy\nBcc: evil@x",
		"Policy\rBcc: evil@x",
		"Pol\xc3\xa9icy\r\nBcc: evil@x",
		"Policy\r\n\r\nBcc: evil@x",
		"Policy\xc2\x85" "Bcc: evil@x",	/* NEL */
		"Policy\xe2\x80\xa8" "Bcc: evil@x",	/* LINE SEPARATOR */
		"=?UTF-8?B?DQpCY2M6IGV2aWxAeA==?=",	/* pre-encoded CRLF */
	};
	size_t i;

	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		struct mail_msg m;
		struct strbuf out = STRBUF_INIT, h = STRBUF_INIT, d = STRBUF_INIT;
		char *subj, *bcc;

		fill_msg(&m, titles[i]);
		m.judge = NULL;
		cr_assert_eq(mail_compose(&out, &m), 0);
		cr_assert_null(strstr(out.buf, "\r\nBcc:"), "title %zu made a Bcc line", i);
		cr_assert_null(strstr(out.buf, "\nBcc:"), "title %zu made a Bcc line", i);
		headers_of(out.buf, &h);
		bcc = header(h.buf, "Bcc");
		cr_assert_null(bcc);
		subj = header(h.buf, "Subject");
		rfc2047_decode(&d, subj);
		cr_assert_null(strpbrk(d.buf, "\r\n"), "decoded subject %zu has a line break", i);
		free(subj);
		strbuf_release(&out);
		strbuf_release(&h);
		strbuf_release(&d);
	}
}

Test(mail, bad_addresses_rejected)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT;
	const char *bad[] = { "a@b.c\r\nBcc: evil@x" };

	fill_msg(&m, "T");
	m.to = bad;
	m.nto = 1;
	cr_assert_eq(mail_compose(&out, &m), -1);
	m.to = to2;
	m.from = "x\n@y";
	cr_assert_eq(mail_compose(&out, &m), -1);
	strbuf_release(&out);
}

Test(mail, long_title_is_cut)
{
	struct mail_msg m;
	struct strbuf t = STRBUF_INIT, out = STRBUF_INIT, h = STRBUF_INIT, d = STRBUF_INIT;
	char *subj;
	int i;

	for (i = 0; i < 2000; i++)
		strbuf_addch(&t, 'a' + i % 26);
	fill_msg(&m, t.buf);
	cr_assert_eq(mail_compose(&out, &m), 0);
	assert_lines_ok(out.buf, out.len, 998);
	headers_of(out.buf, &h);
	subj = header(h.buf, "Subject");
	rfc2047_decode(&d, subj);
	cr_assert(strstr(d.buf, "\xe2\x80\xa6"), "no ellipsis: %s", d.buf);
	cr_assert_lt(d.len, 400);
	/* header lines are folded below 78 columns even then, except a line
	 * with nothing to fold at: "Name: <one msg-id>" (folding before the
	 * id would read back as "Name:  <id>") */
	{
		const char *end = strstr(out.buf, "\r\n\r\n"), *line, *e;

		for (line = out.buf; line < end; line = e + 2) {
			const char *sp;

			e = strstr(line, "\r\n");
			sp = memchr(line, ' ', (size_t)(e - line));
			if (sp && *line != ' ' && !memchr(sp + 1, ' ', (size_t)(e - sp - 1)) &&
			    sp[1] == '<' && e[-1] == '>')
				continue;
			assert_lines_ok(line, (size_t)(e - line), 78);
		}
	}
	free(subj);
	strbuf_release(&t);
	strbuf_release(&out);
	strbuf_release(&h);
	strbuf_release(&d);
}

Test(mail, ics_content)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, b64 = STRBUF_INIT, ics = STRBUF_INIT;
	const char *p;
	size_t col = 0;

	fill_msg(&m, "Terms, Conditions; and \\ more \xe5\x8d\x8f\xe8\xae\xae "
	    "with a long enough title to need folding of the summary line for sure");
	cr_assert_eq(mail_compose(&out, &m), 0);
	cr_assert_eq(part_body(out.buf, "Content-Type: text/calendar", &b64), 0);
	b64dec(&ics, b64.buf, b64.len);
	cr_assert(!strncmp(ics.buf, "BEGIN:VCALENDAR\r\n", 17));
	cr_assert(strstr(ics.buf, "\r\nMETHOD:PUBLISH\r\n"));
	cr_assert(strstr(ics.buf, "\r\nVERSION:2.0\r\n"));
	cr_assert(strstr(ics.buf, "\r\nBEGIN:VEVENT\r\n"));
	/* all day on the last day to object, the day before the deadline */
	cr_assert(strstr(ics.buf, "\r\nDTSTART;VALUE=DATE:20261221\r\n"));
	cr_assert(strstr(ics.buf, "\r\nDTEND;VALUE=DATE:20261222\r\n"));
	/* with a warning some days before */
	cr_assert(strstr(ics.buf, "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P3D\r\n"));
	cr_assert(strstr(ics.buf, "\r\nDTSTAMP:20261122T080000Z\r\n"));
	cr_assert(strstr(ics.buf, "\r\nUID:deadline.faceplusplus=2Fprivacy-policy."));
	cr_assert(strstr(ics.buf, "END:VCALENDAR\r\n"));
	/* SUMMARY escaped (unfold first) */
	{
		struct strbuf u = STRBUF_INIT;

		for (p = ics.buf; *p; p++) {
			if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
				p += 2;
				continue;
			}
			strbuf_addch(&u, *p);
		}
		cr_assert(strstr(u.buf, "SUMMARY:Last day to object: Terms\\, Conditions\\; and \\\\ more "),
		    "%s", u.buf);
		strbuf_release(&u);
	}
	/* CRLF only, lines at most 75 octets */
	for (p = ics.buf; *p; p++) {
		if (*p == '\n') {
			cr_assert(p > ics.buf && p[-1] == '\r');
			col = 0;
		} else if (*p != '\r')
			cr_assert_leq(++col, 75);
	}
	cr_assert(strstr(ics.buf, "\r\n "), "nothing folded");
	strbuf_release(&out);
	strbuf_release(&b64);
	strbuf_release(&ics);
}

Test(mail, keys)
{
	struct mail_msg m;
	struct strbuf k = STRBUF_INIT, k2 = STRBUF_INIT;
	struct mail_digest_item it[2] = {
		{ "a/b", "A", NULL, "1111", NULL }, { "c", NULL, NULL, "2222", NULL }
	};

	fill_msg(&m, "T");
	cr_assert_eq(mail_key(&k, &m), 0);
	cr_assert_str_eq(k.buf, "change.0123456789abcdef0123456789abcdef01234567.legal");
	strbuf_reset(&k);
	m.kind = MAIL_REMINDER;
	m.days_left = 14;
	mail_key(&k, &m);
	cr_assert_str_eq(k.buf, "reminder.0123456789abcdef0123456789abcdef01234567.legal.14");
	strbuf_reset(&k);
	m.kind = MAIL_DIGEST;
	m.day = date_from_ymd(2026, 11, 22);
	m.items = it;
	m.nitems = 2;
	mail_key(&k, &m);
	cr_assert(!strncmp(k.buf, "digest.legal.2026-11-22.", 24), "%s", k.buf);
	m.nitems = 1;
	mail_key(&k2, &m);
	cr_assert_str_neq(k.buf, k2.buf);
	strbuf_release(&k);
	strbuf_release(&k2);
}

/* ---- strict parse with Python's email package ---- */

static const char *
python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* Run tests/mimecheck.py on msg; its JSON goes to out; exit status back. */
static int
mimecheck(const struct strbuf *msg, struct strbuf *out)
{
	char path[] = "/tmp/cw_mimecheck_XXXXXX";
	int fd = mkstemp(path), pfd[2], st;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, msg->buf, msg->len), (ssize_t)msg->len);
	close(fd);
	cr_assert_eq(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execlp(python(), python(), "tests/mimecheck.py", path, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(mail, strict_python_parse_change)
{
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, j = STRBUF_INIT;

	fill_msg(&m, "Face++ \xe9\x9a\x90\xe7\xa7\x81\xe6\x94\xbf\xe7\xad\x96");
	cr_assert_eq(mail_compose(&out, &m), 0);
	cr_assert_eq(mimecheck(&out, &j), 0, "strict parse failed");
	cr_assert(strstr(j.buf, "\"subject\": \"Material change: Face++ \xe9\x9a\x90\xe7\xa7\x81"
	    "\xe6\x94\xbf\xe7\xad\x96 \xe2\x80\x94 accepted by 2026-12-22\""), "%s", j.buf);
	cr_assert(strstr(j.buf, "\"types\": [\"multipart/mixed\", \"multipart/alternative\", "
	    "\"text/plain\", \"text/html\", \"text/calendar\"]"), "%s", j.buf);
	cr_assert(strstr(j.buf, "\"bcc\": false"));
	/* redline in HTML: deletions and additions, styled inline */
	cr_assert(strstr(j.buf, "<del style=\\\"background-color:#ffe0e0;"), "%s", j.buf);
	cr_assert(strstr(j.buf, ">do not sell</del><ins style=\\\""), "%s", j.buf);
	cr_assert(strstr(j.buf, "&lt;privacy@example.com&gt;"), "HTML not escaped");
	/* the plain text starts with the last day to object */
	cr_assert(strstr(j.buf, "\"text\": \"Last day to object: 2026-12-21 (the new terms "
	    "count as accepted from 2026-12-22)"), "%s", j.buf);
	/* the document's words quoted and labelled; the tool's labelled too */
	cr_assert(strstr(j.buf, "The document says:\\r\\n  \xe2\x80\x9cWrite to privacy@example.com"),
	    "%s", j.buf);
	cr_assert(strstr(j.buf, "clausewatch's reasoning (not the document's words):"), "%s", j.buf);
	cr_assert(strstr(j.buf, "clausewatch -s '/var/lib/clause watch/store' ack "
	    "faceplusplus/privacy-policy 0123456789abcdef"), "%s", j.buf);
	cr_assert(strstr(j.buf, "clausewatch -s '/var/lib/clause watch/store' diff "
	    "faceplusplus/privacy-policy 0123456789abcdef"), "%s", j.buf);
	cr_assert(strstr(j.buf, "DTSTART;VALUE=DATE:20261221"));
	strbuf_release(&out);
	strbuf_release(&j);
}

Test(mail, strict_python_parse_other_kinds)
{
	struct mail_msg m;
	struct mail_digest_item it[2] = {
		{ "a/b", "Doc \xc3\xa0", "https://a.example/", "1111", NULL },
		{ "c", NULL, NULL, "2222", NULL }
	};
	enum mail_kind kinds[] = { MAIL_REMINDER, MAIL_FAILURE, MAIL_RECOVERY, MAIL_DIGEST };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct strbuf out = STRBUF_INIT, j = STRBUF_INIT;

		fill_msg(&m, "Terms of Service");
		m.kind = kinds[i];
		m.days_left = 3;
		m.failure = "HTTP 503\r\nX-Evil: 1 after 2 tries";
		m.day = date_from_ymd(2026, 11, 22);
		m.items = it;
		m.nitems = 2;
		it[0].judge = &fixture_judge;
		cr_assert_eq(mail_compose(&out, &m), 0);
		cr_assert_eq(mimecheck(&out, &j), 0, "kind %zu does not parse", i);
		cr_assert(strstr(j.buf, "\"longest\": "));
		cr_assert_null(strstr(out.buf, "\r\nX-Evil"));
		if (kinds[i] == MAIL_REMINDER)
			cr_assert(strstr(j.buf, "\"subject\": \"Reminder: 3 days left"), "%s", j.buf);
		if (kinds[i] == MAIL_DIGEST) {
			/* the digest holds every change not judged material
			 * (substantive ones too): it may not call them editorial */
			cr_assert(strstr(j.buf, "\"subject\": \"Changes judged not material for legal"),
			    "%s", j.buf);
			cr_assert(strstr(j.buf, "were judged not material"), "%s", j.buf);
			cr_assert_null(strstr(j.buf, "are editorial"), "%s", j.buf);
			cr_assert_null(strstr(j.buf, "Editorial changes"), "%s", j.buf);
		}
		strbuf_release(&out);
		strbuf_release(&j);
	}
}

Test(mail, headers_one_space_after_colon)
{
	struct mail_msg m;
	struct mail_digest_item it[1] = {
		{ "a/b", "Doc", "https://a.example/", "1111", NULL }
	};
	enum mail_kind kinds[] = { MAIL_CHANGE, MAIL_REMINDER, MAIL_FAILURE,
	    MAIL_RECOVERY, MAIL_DIGEST };
	const char *const longto[] = {
	    "a-rather-long-local-part-for-a-team-mailbox@legal-department.example.com",
	    "privacy@example.org" };
	struct strbuf out = STRBUF_INIT, j = STRBUF_INIT, h = STRBUF_INIT;
	char *v;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		fill_msg(&m, "Face++ \xe9\x9a\x90\xe7\xa7\x81\xe6\x94\xbf\xe7\xad\x96 and a title "
		    "long enough to be folded over more than one line of the header");
		m.kind = kinds[i];
		m.to = longto;
		m.days_left = 3;
		m.failure = "HTTP 503 after 2 tries";
		m.day = date_from_ymd(2026, 11, 22);
		m.items = it;
		m.nitems = 1;
		/* a 40-hex commit: "Message-ID: <change.HEX.legal@example.net>"
		 * is 79 columns, one past the folding limit */
		m.commit = "888aa926eb21d13372852f6f9a4a2a6c02abea28";
		/* a long document id makes In-Reply-To/References long too */
		m.doc_id = "a-platform-with-a-long-name/developer-terms-of-service-and-api-policy";
		strbuf_reset(&out);
		strbuf_reset(&j);
		cr_assert_eq(mail_compose(&out, &m), 0, "%s", util_err());
		assert_lines_ok(out.buf, out.len, 998);
		assert_header_spacing(out.buf);
		cr_assert_eq(mimecheck(&out, &j), 0, "kind %zu does not parse", i);
		cr_assert(strstr(j.buf, "\"lead_space\": []"), "kind %zu: %s", i, j.buf);
	}
	/* the reported case, byte for byte */
	fill_msg(&m, "Terms");
	m.commit = "888aa926eb21d13372852f6f9a4a2a6c02abea28";
	strbuf_reset(&out);
	cr_assert_eq(mail_compose(&out, &m), 0);
	cr_assert(strstr(out.buf, "\r\nMessage-ID: <change.888aa926eb21d13372852f6f9a4a2a6c02"
	    "abea28.legal@example.net>\r\n"), "%s", out.buf);
	headers_of(out.buf, &h);
	v = header(h.buf, "Message-ID");
	cr_assert_str_eq(v, "<change.888aa926eb21d13372852f6f9a4a2a6c02abea28.legal@example.net>");
	free(v);
	strbuf_release(&out);
	strbuf_release(&j);
	strbuf_release(&h);
}
