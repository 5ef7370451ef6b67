/* charset: the UTF-8 sanitizer and the not-text test, byte by byte. */
#include <criterion/criterion.h>
#include <string.h>

#include "charset.h"
#include "strbuf.h"

/* An invalid byte at every offset around the eight-byte steps of the
 * ASCII skip, with valid multibyte characters before and after. */
Test(charset, sanitize_replaces_each_invalid_byte_wherever_it_is)
{
	char in[64], want[128];
	struct strbuf out = STRBUF_INIT;
	size_t at, k;

	for (at = 0; at < 40; at++) {
		size_t n = 0, w = 0;

		for (k = 0; k < at; k++)
			in[n++] = want[w++] = (char)('a' + k % 26);
		in[n++] = '\xff';
		memcpy(want + w, "\xEF\xBF\xBD", 3);
		w += 3;
		memcpy(in + n, "\xC3\xA9xyz", 5);	/* é */
		memcpy(want + w, "\xC3\xA9xyz", 5);
		n += 5;
		w += 5;
		in[n++] = '\xE2';	/* a truncated character at the end */
		memcpy(want + w, "\xEF\xBF\xBD", 3);
		w += 3;
		strbuf_reset(&out);
		cr_assert_eq(charset_utf8_sanitize(in, n, &out), 0);
		cr_assert_eq(out.len, w, "at %zu", at);
		cr_assert(!memcmp(out.buf, want, w), "at %zu", at);
	}
	strbuf_reset(&out);
	cr_assert_eq(charset_utf8_sanitize("plain ascii, longer than eight", 30, &out), 0);
	cr_assert_str_eq(out.buf, "plain ascii, longer than eight");
	strbuf_release(&out);
}

/* More than one character in eight that does not decode: not text; one
 * in eight exactly still is. */
Test(charset, not_text_counts_undecodable_characters)
{
	struct strbuf why = STRBUF_INIT;
	char buf[64];

	memset(buf, 'a', sizeof(buf));
	memset(buf, '\xff', 8);		/* 8 bad of 64 characters */
	cr_assert_eq(charset_not_text("text/html; charset=utf-8", buf, 64, &why), 0, "%s",
	    why.buf);
	buf[40] = '\xff';		/* 9 of 64 */
	cr_assert_eq(charset_not_text("text/html; charset=utf-8", buf, 64, &why), 1);
	cr_assert(strstr(why.buf, "9 of its first 64 characters"), "%s", why.buf);
	strbuf_release(&why);
}
