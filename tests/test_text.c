#include <criterion/criterion.h>
#include <string.h>

#include "text.h"
#include "util.h"

Test(text, u8_next_decodes_and_replaces_bad_bytes_one_at_a_time)
{
	ucs4_t c;
	int st;

	cr_assert_eq(text_u8_next("\xe4\xb8\xad!", 4, &c, &st), 3);
	cr_assert_eq(c, 0x4e2d);
	cr_assert_eq(st, TEXT_U8_OK);
	/* a real U+FFFD is valid, three bytes */
	cr_assert_eq(text_u8_next("\xef\xbf\xbd", 3, &c, &st), 3);
	cr_assert_eq(st, TEXT_U8_OK);
	/* stray continuation, overlong, surrogate: one byte each */
	cr_assert_eq(text_u8_next("\x80x", 2, &c, &st), 1);
	cr_assert_eq(c, TEXT_REPLACEMENT);
	cr_assert_eq(st, TEXT_U8_INVALID);
	cr_assert_eq(text_u8_next("\xc0\xaf", 2, &c, &st), 1);
	cr_assert_eq(st, TEXT_U8_INVALID);
	cr_assert_eq(text_u8_next("\xed\xa0\x80", 3, &c, &st), 1);
	cr_assert_eq(st, TEXT_U8_INVALID);
	/* cut short by n: never reads past it */
	cr_assert_eq(text_u8_next("\xe4\xb8", 2, &c, &st), 1);
	cr_assert_eq(c, TEXT_REPLACEMENT);
	cr_assert_eq(st, TEXT_U8_TRUNCATED);
	cr_assert_eq(text_u8_next("a", 1, &c, NULL), 1);
	cr_assert_eq(c, 'a');
}

Test(text, cut_keeps_whole_characters)
{
	const char *s = "ab\xe4\xb8\xad\xe6\x96\x87";	/* ab中文 */

	cr_assert_eq(text_cut(s, 8, 100), 8);
	cr_assert_eq(text_cut(s, 8, 8), 8);
	cr_assert_eq(text_cut(s, 8, 7), 5);
	cr_assert_eq(text_cut(s, 8, 4), 2);
	cr_assert_eq(text_cut(s, 8, 2), 2);
	cr_assert_eq(text_cut(s, 8, 0), 0);
}

Test(text, classes)
{
	cr_assert(text_is_space(' '));
	cr_assert(text_is_space('\n'));
	cr_assert(text_is_space(0xa0));
	cr_assert(text_is_space(0x3000));
	cr_assert(text_is_space(0x200b));
	cr_assert_not(text_is_space('x'));
	cr_assert_not(text_is_space(0x4e2d));

	cr_assert(text_is_cjk(0x4e2d));		/* 中 */
	cr_assert(text_is_cjk(0x3042));		/* あ */
	cr_assert(text_is_cjk(0x30a2));		/* ア */
	cr_assert(text_is_cjk(0x30fc));		/* ー */
	cr_assert(text_is_cjk(0xac00));		/* 가 */
	cr_assert(text_is_cjk(0x20000));	/* Ext B */
	cr_assert_not(text_is_cjk(0x3002));	/* 。 is punctuation */
	cr_assert_not(text_is_cjk(0xff0c));	/* ， */
	cr_assert_not(text_is_cjk('a'));
	cr_assert_not(text_is_cjk(0xe9));

	cr_assert(text_is_wide(0x4e2d));
	cr_assert(text_is_wide(0x3002));
	cr_assert(text_is_wide(0xff08));	/* （ */
	cr_assert_not(text_is_wide(0xac00));	/* Korean uses spaces */
	cr_assert_not(text_is_wide('a'));
	cr_assert_not(text_is_wide(0x201c));
}

Test(text, hash_is_fnv1a)
{
	/* published FNV-1a test vectors */
	cr_assert_eq(text_hash(TEXT_HASH_INIT, "", 0), 0xcbf29ce484222325ULL);
	cr_assert_eq(text_hash(TEXT_HASH_INIT, "a", 1), 0xaf63dc4c8601ec8cULL);
	cr_assert_eq(text_hash32(TEXT_HASH32_INIT, "a", 1), 0xe40c292cu);
	cr_assert_eq(text_hash32(TEXT_HASH32_INIT, "foobar", 6), 0xbf9cf968u);
	/* continued hashing is hashing the concatenation */
	cr_assert_eq(text_hash(text_hash(TEXT_HASH_INIT, "foo", 3), "bar", 3),
	    text_hash(TEXT_HASH_INIT, "foobar", 6));
}

Test(text, tracking_params_one_list)
{
	cr_assert(text_is_tracking_param("utm_source", 10));
	cr_assert(text_is_tracking_param("UTM_Campaign", 12));
	cr_assert(text_is_tracking_param("fbclid", 6));
	cr_assert(text_is_tracking_param("GCLID", 5));
	cr_assert(text_is_tracking_param("__hstc", 6));
	cr_assert(text_is_tracking_param("yclid", 5));
	cr_assert(text_is_tracking_param("wickedid", 8));
	cr_assert(text_is_tracking_param("_ga=1", 3));	/* n bytes only */
	/* these choose what a page shows */
	cr_assert_not(text_is_tracking_param("ref", 3));
	cr_assert_not(text_is_tracking_param("from", 4));
	cr_assert_not(text_is_tracking_param("id", 2));
	cr_assert_not(text_is_tracking_param("utm", 3));
	cr_assert_not(text_is_tracking_param("gcl", 3));
	cr_assert_not(text_is_tracking_param("", 0));
}

static char *
key(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	text_url_key(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

#define KEY_EQ(s, want) do { char *k_ = key(s); \
	cr_assert_str_eq(k_, want, "%s", s); free(k_); } while (0)

Test(text, url_key_is_where_a_link_leads)
{
	KEY_EQ("https://www.Example.COM/p/?utm_medium=x&id=2&fbclid=y#f",
	    "example.com/p?id=2");
	KEY_EQ("http://example.com/p", "example.com/p");
	KEY_EQ("www.example.com", "example.com");
	KEY_EQ("example.com/", "example.com");
	KEY_EQ("https://example.com:8443/a/", "example.com:8443/a");
	KEY_EQ("https://x.com/help?id=1", "x.com/help?id=1");
	KEY_EQ("https://github.com/o/r?ref=main", "github.com/o/r?ref=main");
	KEY_EQ("ftp://files.example.com/a", "ftp://files.example.com/a");
	KEY_EQ("mailto:legal@example.com", "legal@example.com");
	/* not URLs: their own key */
	KEY_EQ("Privacy Policy", "Privacy Policy");
	KEY_EQ("Home", "Home");
}

/* Backwards as forwards: each character's length, an invalid byte one
 * U+FFFD. */
Test(text, u8_prev_reads_back)
{
	const char s[] = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\x80";
	ucs4_t c;
	size_t i = sizeof(s) - 1;

	cr_assert_eq(text_u8_prev(s, i, &c), 1);	/* a stray continuation */
	cr_assert_eq(c, TEXT_REPLACEMENT);
	i--;
	cr_assert_eq(text_u8_prev(s, i, &c), 4);
	cr_assert_eq(c, 0x1f600);
	i -= 4;
	cr_assert_eq(text_u8_prev(s, i, &c), 3);
	cr_assert_eq(c, 0x4e2d);
	i -= 3;
	cr_assert_eq(text_u8_prev(s, i, &c), 2);
	cr_assert_eq(c, 0xe9);
	i -= 2;
	cr_assert_eq(text_u8_prev(s, i, &c), 1);
	cr_assert_eq(c, 'a');
}
