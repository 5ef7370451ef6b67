#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static time_t fixed_now = (time_t)-1;

/* A day is 86400 seconds of the proleptic Gregorian calendar that
 * timegm and gmtime_r count in; at midnight the division is exact, also
 * before 1970. */
static int32_t
day_of_tm(struct tm *tm)
{
	return (int32_t)(timegm(tm) / 86400);
}

int32_t
date_from_ymd(int y, int m, int d)
{
	struct tm tm = { 0 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return DATE_NONE;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	/* timegm carries 2023-02-29 into March: that is no date */
	{
		int32_t day = day_of_tm(&tm);

		if (tm.tm_mon != m - 1 || tm.tm_mday != d)
			return DATE_NONE;
		return day;
	}
}

void
date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

void
date_format(int32_t day, char out[11])
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, 11, "%04Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

/* "YYYY-MM-DD" at s, digits where digits belong (strptime alone would take
 * "2026-1-5" or blanks), parsed by strptime; the rest of s after it. */
static const char *
parse_ymd(const char *s, struct tm *tm, int32_t *day)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return NULL;
	memset(tm, 0, sizeof(*tm));
	if (strptime(s, "%Y-%m-%d", tm) != s + 10 ||
	    (*day = date_from_ymd(tm->tm_year + 1900, tm->tm_mon + 1,
	    tm->tm_mday)) == DATE_NONE)
		return NULL;
	return s + 10;
}

int32_t
date_parse_iso(const char *s)
{
	struct tm tm;
	int32_t day;
	const char *p = parse_ymd(s, &tm, &day);

	return p && !*p ? day : DATE_NONE;
}

/* "hh:mm", "hh:mm:ss" with an optional fraction, then "Z" or an offset
 * (+hh:mm, +hhmm), into tm; the rest of s after it, or NULL. */
static const char *
parse_hms(const char *s, struct tm *tm)
{
	const char *p;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !(p = strptime(s, "%H:%M", tm)) || p != s + 5)
		return NULL;
	if (*p == ':' && (!isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || strptime(p, ":%S", tm) != p + 3))
		return NULL;
	if (*p == ':')
		p += 3;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z')
		return p + 1;
	if ((*p == '+' || *p == '-') && strlen(p) >= 5)
		return strptime(p, "%z", tm);
	return p;
}

int
date_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	int32_t day;
	long off = 0;
	const char *p = parse_ymd(s, &tm, &day);

	if (!p)
		return -1;
	if (*p == 'T' || *p == ' ') {
		if (!(p = parse_hms(p + 1, &tm)))
			return -1;
		off = tm.tm_gmtoff;
	}
	if (*p)
		return -1;
	*out = (time_t)day * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec - off;
	return 0;
}

void
date_format_time(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
date_set_now(time_t t)
{
	fixed_now = t;
}

time_t
date_now(void)
{
	return fixed_now != (time_t)-1 ? fixed_now : time(NULL);
}

int32_t
date_today(void)
{
	time_t t = date_now();

	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}
