#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static time_t fixed_now = (time_t)-1;

/* Howard Hinnant's days_from_civil: exact for the whole int range we use. */
int32_t
date_from_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int era, yoe, doy, doe, leap;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return DATE_NONE;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return DATE_NONE;
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

void
date_format(int32_t day, char out[11])
{
	char tmp[32];
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int32_t
date_parse_iso(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

int
date_parse_time(const char *s, time_t *out)
{
	int y, m, d, hh = 0, mm = 0, ss = 0, oh = 0, om = 0, sign = 0;
	int32_t day;
	const char *p;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if ((day = date_from_ymd(y, m, d)) == DATE_NONE)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm))
			return -1;
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &ss))
				return -1;
			p += 3;
			if (*p == '.')
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (hh > 23 || mm > 59 || ss > 60)
			return -1;
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '+' ? 1 : -1;
			if (digits(p + 1, 2, &oh))
				return -1;
			p += 3;
			if (*p == ':')
				p++;
			if (digits(p, 2, &om))
				return -1;
			p += 2;
		}
	}
	if (*p)
		return -1;
	*out = (time_t)day * 86400 + hh * 3600 + mm * 60 + ss -
	    sign * (oh * 3600 + om * 60);
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
