/* strbuf caps, string lists, atomic writes, dates, JSON strings. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json.h"
#include "strbuf.h"
#include "util.h"

/* Appending a piece of the buffer to itself while it grows (pdf.c joins
 * two lines of its pool into the pool): the bytes are read after the
 * move, not from the freed block. */
Test(strbuf, append_own_bytes_across_growth)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "0123456789");
	for (i = 0; i < 12; i++)
		cr_assert_eq(strbuf_add(&sb, sb.buf + 2, 5), 0);
	cr_assert_eq(sb.len, 10 + 12 * 5);
	for (i = 0; i < 12; i++)
		cr_assert_eq(memcmp(sb.buf + 10 + 5 * i, "23456", 5), 0);
	strbuf_release(&sb);
}

Test(strbuf, cap_refuses_and_keeps_content)
{
	struct strbuf sb;

	strbuf_init(&sb, 8);
	cr_assert_eq(strbuf_addstr(&sb, "12345"), 0);
	cr_assert_eq(strbuf_addstr(&sb, "6789"), -1);
	cr_assert_str_eq(sb.buf, "12345");
	cr_assert_eq(strbuf_addstr(&sb, "678"), 0);
	cr_assert_eq(sb.len, 8);
	cr_assert_eq(strbuf_addch(&sb, 'x'), -1);
	cr_assert_eq(strbuf_addf(&sb, "%d", 1), -1);
	strbuf_release(&sb);
	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
}

Test(strbuf, grow_format_trim_detach)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	size_t len;
	int i;

	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%03d,", i);
	cr_assert_eq(sb.len, 4000);
	cr_assert(!strncmp(sb.buf + 3996, "999,", 4));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "  \t hello \n");
	strbuf_trim(&sb);
	cr_assert_str_eq(sb.buf, "hello");
	s = strbuf_detach(&sb, &len);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(len, 5);
	cr_assert_eq(sb.len, 0);
	free(s);
}

Test(util, string_list)
{
	char **v = NULL;
	size_t n = 0;

	cr_assert_not(util_strv_has(v, n, "a"));
	util_strv_push(&v, &n, xstrdup("a/one"));
	util_strv_push(&v, &n, xstrdup("b/two"));
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[1], "b/two");
	cr_assert(util_strv_has(v, n, "a/one"));
	cr_assert(util_strv_has(v, n, "b/two"));
	cr_assert_not(util_strv_has(v, n, "b/tw"));
	cr_assert_not(util_strv_has(v, 1, "b/two"));
	util_strv_free(v, n);	/* the strings too: leak checked */
}

Test(date, civil_roundtrip_and_parse)
{
	char out[11];
	time_t t;
	int32_t d;

	cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
	cr_assert_eq(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
	cr_assert_eq(date_from_ymd(2023, 2, 29), DATE_NONE);
	cr_assert_eq(date_from_ymd(2022, 13, 1), DATE_NONE);
	d = date_parse_iso("2026-11-22");
	cr_assert_neq(d, DATE_NONE);
	date_format(d + 30, out);
	cr_assert_str_eq(out, "2026-12-22");
	cr_assert_eq(date_parse_iso("2026-11-22x"), DATE_NONE);
	cr_assert_eq(date_parse_iso("22/11/2026"), DATE_NONE);
	cr_assert_eq(date_parse_time("2026-11-22T07:00:00Z", &t), 0);
	cr_assert_eq(t, (time_t)d * 86400 + 7 * 3600);
	cr_assert_eq(date_parse_time("2026-11-22T09:00:00+02:00", &t), 0);
	cr_assert_eq(t, (time_t)d * 86400 + 7 * 3600);
	cr_assert_eq(date_parse_time("2026-11-22", &t), 0);
	cr_assert_eq(t, (time_t)d * 86400);
	cr_assert_eq(date_parse_time("2026-11-22T25:00", &t), -1);
	cr_assert_eq(date_parse_time("yesterday", &t), -1);
	date_set_now(t + 3600);
	cr_assert_eq(date_today(), d);
}

Test(json, jansson_helpers)
{
	static const char *const names[] = { "a", "b", "c" };
	struct strbuf sb = STRBUF_INIT;
	json_t *v, *back;

	v = json_pack("{s:o, s:o, s:o, s:o}", "ok", json_text("\xe4\xb8\xad\""),
	    "bad", json_text("bad\xff\xc0\x80!"), "none", json_text(NULL),
	    "bits", json_bitnames(5, names, 3));
	cr_assert_eq(json_print(&sb, v), 0);
	cr_assert_eq(sb.buf[sb.len - 1], '\n');
	back = json_loads(sb.buf, 0, NULL);
	cr_assert(back, "%s", sb.buf);
	cr_assert_str_eq(json_string_value(json_object_get(back, "ok")), "\xe4\xb8\xad\"");
	cr_assert_str_eq(json_string_value(json_object_get(back, "bad")),
	    "bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
	cr_assert(json_is_null(json_object_get(back, "none")));
	cr_assert_eq(json_array_size(json_object_get(back, "bits")), 2);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(back, "bits"), 1)), "c");
	json_decref(back);
	strbuf_release(&sb);

	strbuf_init(&sb, 8);	/* a cap: nothing half-written */
	strbuf_addstr(&sb, "x");
	cr_assert_eq(json_print(&sb, json_pack("{s:s}", "key", "a long value")), -1);
	cr_assert_str_eq(sb.buf, "x");
	strbuf_release(&sb);
}

Test(util, atomic_write_and_capped_read)
{
	char dir[] = "/tmp/cw-util-XXXXXX";
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;

	cr_assert_not_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/a/b/f", dir);
	cr_assert_eq(util_mkdirs(path.buf, 0755), 0);	/* creates a/b/f as a folder */
	strbuf_addstr(&path, "/file");
	cr_assert_eq(util_write_file_atomic(path.buf, "hello", 5), 0);
	cr_assert_eq(util_read_file(path.buf, 0, &sb), 0);
	cr_assert_str_eq(sb.buf, "hello");
	cr_assert_eq(util_read_file(path.buf, 3, &sb), -1);
	cr_assert(strstr(util_err(), "larger than 3"));
	cr_assert_eq(util_read_file("/nonexistent/x", 0, &sb), -1);
	strbuf_release(&sb);
	strbuf_reset(&path);
	strbuf_addf(&path, "rm -rf %s", dir);
	cr_assert_eq(system(path.buf), 0);
	strbuf_release(&path);
}

Test(date, edges_stay_as_they_were)
{
	char out[11];
	time_t t;
	int y, m, d;

	cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
	cr_assert_eq(date_from_ymd(1, 1, 1), -719162);
	cr_assert_eq(date_from_ymd(2024, 2, 29) + 1, date_from_ymd(2024, 3, 1));
	cr_assert_eq(date_from_ymd(2024, 4, 31), DATE_NONE);
	cr_assert_eq(date_from_ymd(0, 1, 1), DATE_NONE);
	date_to_ymd(-1, &y, &m, &d);
	cr_assert(y == 1969 && m == 12 && d == 31);
	date_format(date_from_ymd(999, 1, 5), out);
	cr_assert_str_eq(out, "0999-01-05");
	cr_assert_eq(date_parse_iso("2026-1-05"), DATE_NONE);
	cr_assert_eq(date_parse_iso("2026- 1-05"), DATE_NONE);
	cr_assert_eq(date_parse_iso("2026-02-30"), DATE_NONE);
	cr_assert_eq(date_parse_iso(""), DATE_NONE);
	cr_assert_eq(date_parse_time("2026-11-22T07:00Z", &t), 0);
	cr_assert_eq(t, (time_t)date_from_ymd(2026, 11, 22) * 86400 + 7 * 3600);
	cr_assert_eq(date_parse_time("2026-11-22 07:00:30.25-0130", &t), 0);
	cr_assert_eq(t, (time_t)date_from_ymd(2026, 11, 22) * 86400 + 7 * 3600 + 30 + 5400);
	cr_assert_eq(date_parse_time("2026-11-22T7:00Z", &t), -1);
	cr_assert_eq(date_parse_time("2026-11-22T07:00+01", &t), -1);
	cr_assert_eq(date_parse_time("2026-11-22Z", &t), -1);
	cr_assert_eq(date_parse_time("2026-11-22T07:00:00Zx", &t), -1);
}
