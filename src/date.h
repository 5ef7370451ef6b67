/* date: civil dates as day numbers (days since 1970-01-01), and "now". */
#ifndef CW_DATE_H
#define CW_DATE_H
#include <stdint.h>
#include <time.h>

#define DATE_NONE INT32_MIN

/* Day number of a proleptic Gregorian y-m-d; DATE_NONE when invalid. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);
/* "YYYY-MM-DD" (11 bytes with NUL). */
void date_format(int32_t day, char out[11]);
/* Parse "YYYY-MM-DD" exactly; DATE_NONE on anything else. */
int32_t date_parse_iso(const char *s);
/* Parse an ISO 8601 date or date-time (Z or ±hh:mm offset) into a time_t;
 * -1 on error. A bare date means 00:00:00Z. */
int date_parse_time(const char *s, time_t *out);
/* "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL). */
void date_format_time(time_t t, char out[21]);

/* The clock, or the time set by --now / CLAUSEWATCH_NOW. */
void date_set_now(time_t t);
time_t date_now(void);
int32_t date_today(void);	/* UTC day number of date_now() */

#endif
