/* mime: header folding and RFC 2047, addresses, base64, quoted-printable,
 * the Date header, Message-IDs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "strbuf.h"
#include "util.h"
#include "mailcheck.h"

Test(mime, header_folds_and_encodes)
{
	struct strbuf out = STRBUF_INIT, got = STRBUF_INIT, euros = STRBUF_INIT,
	    unfolded = STRBUF_INIT;
	const char *p, *line;
	char *v;

	mime_header(&out, "Subject", "plain words that go on and on and on and on and on "
	    "and on and on and on and on and on until they need folding");
	assert_lines_ok(out.buf, out.len, 78);
	cr_assert(strstr(out.buf, "\r\n "), "not folded");
	strbuf_reset(&out);
	/* a 3-byte character must never be split across encoded words */
	for (int i = 0; i < 40; i++)
		strbuf_addstr(&euros, "\xe2\x82\xac");
	mime_header(&out, "X-T", euros.buf);
	for (line = out.buf; (p = strstr(line, "=?UTF-8?B?")); line = p + 1) {
		struct strbuf one = STRBUF_INIT;
		const char *e = strstr(p + 10, "?=");

		b64dec(&one, p + 10, (size_t)(e - p - 10));
		cr_assert_eq(one.len % 3, 0, "split UTF-8 sequence");
		strbuf_release(&one);
	}
	/* and the words, unfolded, decode back to the text */
	strbuf_addstr(&out, "\r\n");
	headers_of(out.buf, &unfolded);
	v = header(unfolded.buf, "X-T");
	strbuf_reset(&got);
	rfc2047_decode(&got, v);
	cr_assert_eq(got.len, 40 * 3, "%s", got.buf);
	cr_assert_str_eq(got.buf, euros.buf);
	free(v);
	strbuf_release(&out);
	strbuf_release(&got);
	strbuf_release(&euros);
	strbuf_release(&unfolded);
}

Test(mime, long_names_keep_the_first_word)
{
	struct strbuf out = STRBUF_INIT;

	/* long names and long first words stay on the name's line */
	mime_header(&out, "X-A-Rather-Long-Header-Name-For-Testing", "averyveryverylongfirstword"
	    "thatdoesnotfitonthefirstline and then some more words to fold");
	mime_header(&out, "X-Encoded-Header-With-A-Long-Name-Of-Fifty-Chars",
	    "caf\xc3\xa9 au lait, caf\xc3\xa9 cr\xc3\xa8me, caf\xc3\xa9 noir et encore");
	strbuf_addstr(&out, "\r\n");
	assert_header_spacing(out.buf);
	strbuf_release(&out);
}

Test(mime, header_value_is_cleaned)
{
	struct strbuf out = STRBUF_INIT;

	mime_header(&out, "Subject", "a\r\nBcc: evil@x\tand\x01 more");
	cr_assert_str_eq(out.buf, "Subject: a Bcc: evil@x and more\r\n");
	strbuf_release(&out);
}

Test(mime, addresses)
{
	struct strbuf out = STRBUF_INIT;
	const char *const to[] = { "legal@example.com", "a-rather-long-local-part-for-a-"
	    "team-mailbox@legal-department.example.com", "dpo@example.org" };

	cr_assert(mime_address_ok("legal@example.com"));
	cr_assert_not(mime_address_ok("Legal <legal@example.com>"));
	cr_assert_not(mime_address_ok("a@b@c"));
	cr_assert_not(mime_address_ok("a b@c"));
	cr_assert_not(mime_address_ok("@c"));
	cr_assert_not(mime_address_ok("a@b.c\r\nBcc: evil@x"));
	cr_assert_not(mime_address_ok(NULL));
	mime_address_header(&out, "To", to, 3);
	assert_lines_ok(out.buf, out.len, 78);
	cr_assert_str_eq(out.buf, "To: legal@example.com,\r\n"
	    " a-rather-long-local-part-for-a-team-mailbox@legal-department.example.com,\r\n"
	    " dpo@example.org\r\n");
	strbuf_release(&out);
}

/* RFC 4648 section 10, and the line wrapping of a MIME body */
Test(mime, base64)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	struct strbuf out = STRBUF_INIT, back = STRBUF_INIT;
	char big[200];
	const char *p, *e;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		strbuf_reset(&out);
		mime_base64(&out, in[i], strlen(in[i]), 0);
		cr_assert_str_eq(out.buf, want[i]);
	}
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	strbuf_reset(&out);
	mime_base64(&out, big, sizeof(big), 76);
	/* 57 bytes a line: 76 characters, 3 full lines and one of 29 bytes */
	for (p = out.buf, i = 0; (e = strstr(p, "\r\n")); p = e + 2, i++)
		cr_assert_eq(e - p, i < 3 ? 76 : 40, "line %zu: %ld", i, (long)(e - p));
	cr_assert_eq(i, 4);
	cr_assert_eq(*p, '\0', "no CRLF at the end");
	b64dec(&back, out.buf, out.len);
	cr_assert_eq(back.len, sizeof(big));
	cr_assert(!memcmp(back.buf, big, sizeof(big)));
	/* wrapped, nothing: just the line end */
	strbuf_reset(&out);
	mime_base64(&out, "", 0, 76);
	cr_assert_str_eq(out.buf, "\r\n");
	strbuf_release(&out);
	strbuf_release(&back);
}

Test(mime, quoted_printable)
{
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT;
	size_t i;

	mime_qp(&out, "a=b caf\xc3\xa9 \nend \n", strlen("a=b caf\xc3\xa9 \nend \n"));
	/* '=', 8-bit and a space before a line end are encoded; CRLF lines */
	cr_assert_str_eq(out.buf, "a=3Db caf=C3=A9=20\r\nend=20\r\n");
	for (i = 0; i < 300; i++)
		strbuf_addch(&text, i % 10 == 9 ? '=' : 'x');
	strbuf_reset(&out);
	mime_qp(&out, text.buf, text.len);
	assert_lines_ok(out.buf, out.len, 76);
	cr_assert(strstr(out.buf, "=\r\n"), "no soft line break");
	strbuf_release(&out);
	strbuf_release(&text);
}

Test(mime, date_header)
{
	struct strbuf out = STRBUF_INIT;

	mime_date_header(&out, 1795334400);	/* 2026-11-22T08:00:00Z */
	mime_date_header(&out, 0);
	cr_assert_str_eq(out.buf, "Date: Sun, 22 Nov 2026 08:00:00 +0000\r\n"
	    "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n");
	strbuf_release(&out);
}

Test(mime, message_ids)
{
	struct strbuf out = STRBUF_INIT;

	mime_msgid(&out, "change.ab12.legal team", "cw@Mail..Example.NET.");
	cr_assert_str_eq(out.buf, "<change.ab12.legal=20team@mail.example.net>");
	strbuf_reset(&out);
	mime_msgid(&out, "x", "no-domain");
	cr_assert_str_eq(out.buf, "<x@clausewatch.invalid>");
	strbuf_reset(&out);
	mime_msgid_part(&out, "a/b.c<d>");
	cr_assert_str_eq(out.buf, "a=2Fb=2Ec=3Cd=3E");
	strbuf_release(&out);
}
