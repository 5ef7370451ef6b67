/* rules: what a document says about its own changes.
 *
 * Every clause is cut into sentences (English ". ! ?" followed by a space,
 * minding abbreviations; Chinese "。！？；"; line ends). Each sentence is
 * tested against small per-language pattern tables below, always together
 * with its context: a notice promise only counts when the sentence (or the
 * clause heading) is about changes to the document, a "30 days" only when it
 * sits in such a sentence, a date only right after a cue such as "Last
 * updated". Nothing here is statistical: every finding keeps the clause
 * label and the verbatim sentence that produced it.
 *
 * Pattern syntax (see pat_match): groups separated by " ... " must occur in
 * that order within the sentence; '|' separates alternatives in a group; a
 * leading '<' asks for a word start, a trailing '>' for a word end. English
 * is matched on an ASCII-lowercased copy, so patterns are lowercase.
 *
 * Cost: each sentence is copied once and scanned by a bounded number of
 * patterns; rules per kind are capped, so the analysis is linear. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "json.h"
#include "rules.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#define RULES_PER_KIND 16	/* keeps output and work bounded on junk */
#define DATE_WINDOW 40		/* bytes between a date cue and its date */

/* ---- pattern tables ---- */

/* Words that make a sentence about changing something. */
static const char CHANGE_EN[] = "<chang|<modif|<amend|<revis|<alter|<updat|<variation|"
    "new terms|new version|next version|new agreement|new policy";
static const char CHANGE_ZH[] = "变更|修改|修订|变动|调整|更新|修正";
/* The document itself (or its rules). */
static const char DOC_EN[] = "agreement|policy|<terms>|<rules>|contract|provisions|statement|"
    "this version|next version|new version";
static const char DOC_ZH[] = "协议|条款|政策|规则|规定|声明";
/* Giving notice: verbs and fixed phrases, not the bare noun "notice",
 * which also names the notices themselves ("accepting the notice"). */
static const char NOTICE_EN[] =
    "<notif|<inform>|<informs>|<informed>|<informing>|<announc|<publish|"
    "<posting|<post on|<posted on|<post>|"
    "indication|notice of|notice to|give notice|giving notice|provide notice|"
    "providing notice|issuing notice|issue notice|days' notice|days notice|"
    "prior notice|advance notice|<notice on|<notices on|<email you|<e-mail you";
static const char NOTICE_ZH[] = "通知|公告|公示|提示|告知|公布|推送";
/* Notice promised before the change applies. */
static const char BEFORE_EN[] =
    "before ... <effect||prior to ... <effect||in advance|advance notice|"
    "days' notice|days notice|days prior|days before|<before the change|"
    "<before such change|<before any change|<prior to the change|"
    "<before they take|<before it takes||"
    /* "changes become effective 30 days after posting" */
    "<effect ... days after||days after ... <effect|<post|<publi|<notif|<notice";
static const char BEFORE_ZH[] = "生效前|生效之前|提前|日后生效|天后生效|实施前|施行前||之日起 ... 后生效";
/* The promise is limited to material changes. */
static const char MATERIAL_EN[] = "<material|<significant|<substantial|<major>";
static const char MATERIAL_ZH[] = "重大|实质|重要变更";
/* Notice refused: "without notice", "无需通知". */
static const char NONOTICE_ZH[] =
    "无需通知|无须通知|不经通知|不必通知|无需另行通知|不另行通知|无需事先通知|"
    "未经通知|无需告知|无须告知|无需提前通知";
/* Fees, prices. */
static const char FEE_EN[] = "<fee>|<fees>|<charg|<pric|<tariff|<billing";
static const char FEE_ZH[] = "收费|资费|费用|价格|计费|付费|费率";
/* Continued use counts as acceptance. */
static const char DEEMED_EN_A[] =
    "<continu ... <use|<using|<access|<accept|<log ... deemed|constitut|"
    "be bound|you agree|means that you|means you|signif|consent to|acceptance|you accept|"
    "be subject to";
static const char DEEMED_EN_B[] =
    "deemed|constitut|be bound|you agree|you accept ... <continu ... <use|<using|<access";
static const char DEEMED_EN_C[] = "continued use|continued access ... constitut|deemed|acceptance|agree";
static const char DEEMED_ZH[] = "继续 ... 视为|表示|意味着|即代表|即表明|即表示 ... 接受|同意|认可";
static const char CHANGELOG_EN[] = "changelog|change log|revision history|version history";
static const char REQUIRED_EN[] =
    "require that you accept|require you to accept|required to accept|ask you to accept";
/* A notice binds once published. */
static const char NOTICEACC_EN[] =
    "<once|<upon ... publish|<sent|<post|<issu|deliver ... deemed ... accept|agree";
static const char NOTICEACC_ZH[] = "一经 ... 公布|发送|发布|公告|送达 ... 视为 ... 接受|同意";
/* How to object. */
static const char OBJECT_EN_A[] =
    "disagree|not accept|not agree|<object ... in writing|written notice|writing";
static const char OBJECT_EN_B[] = "in writing ... not accept|not agree|disagree";
static const char OBJECT_ZH_A[] = "不接受|不同意|异议 ... 书面";
static const char OBJECT_ZH_B[] = "书面 ... 不接受|不同意";
static const char INSTRUCT_EN[] = "<shall>|<should>|<please>|<must>";
static const char INSTRUCT_ZH[] = "请|应当|应";
/* Rights and obligations passed on to others. */
static const char TRANSFER_EN[] = "<transfer|<assign ... rights and obligations|rights and duties";
static const char TRANSFER_ZH_A[] = "权利和义务|权利义务 ... 转让";
static const char TRANSFER_ZH_B[] = "转让 ... 权利和义务|权利义务";
/* Changes allowed when existing interests are not harmed. */
static const char NOHARM_EN[] = "not impair|without impair|not affect|without affect|not prejudice|substantive interest";
static const char NOHARM_ZH[] = "不影响|不损害|不会影响|不会损害";
/* The document's own definition of a material change. */
static const char MATDEF_EN[] =
    "material change|material modification|material amendment|significant change|"
    "substantial change|material update";
static const char MATDEF_VERB_EN[] =
    "<include|<mean|<refer|<such as|<e.g.|for example|<are:|<is:|<are>|<is>";
static const char MATDEF_ZH[] = "重大变更|重大变化|重要变更|重大调整|实质性变更|重大修改";
static const char MATDEF_VERB_ZH[] = "包括|是指|指|例如|如";

/* Notice methods. Decisions: "prominent position", "post on" and Chinese
 * 公告/公示 (announcements shown on the site) are website notices; 书面
 * ("in writing") and conventional/registered mail are letters; a push or
 * 站内信 (site inbox) is in-app; bare "mail" is left out as ambiguous. */
static const struct {
	unsigned bit;
	const char *en, *zh;
} methods[] = {
	{ RULES_M_EMAIL, "<e-mail|<email", "电子邮件|邮件|电子邮箱|邮箱" },
	{ RULES_M_WEBSITE, "website|webpage|web page|web site|prominent|homepage|"
	    "home page|<posting|<post>|<posted on|on the platform|on the open platform|"
	    "to our platform|<blog>|"
	    "on our site|on the site|announcement", "公告|网站|页面|网页|官网|公示|主页" },
	{ RULES_M_INAPP, "in-app|in app|<push|app notification|notification in the app|"
	    "notice through the platform|notice through our platform|"
	    "notification through the platform|notification through our platform|"
	    "message center|pop-up|popup|management system", "站内信|推送|消息中心|弹窗|系统通知|应用内" },
	{ RULES_M_SMS, "<sms>|text message|short message", "短信" },
	{ RULES_M_LETTER, "<letter|by post>|<postal|registered mail|regular mail|"
	    "conventional mail|courier", "书面|信函|信件|邮寄" },
};

/* Date cues: where a date right after them is the document's date. */
static const struct {
	const char *cue;
	int updated;
} date_cues[] = {
	{ "effective date", 0 }, { "effective as of", 0 }, { "effective from", 0 },
	{ "effective on", 0 }, { "effective:", 0 }, { "take effect on", 0 },
	{ "took effect", 0 },
	{ "takes effect on", 0 }, { "in effect as of", 0 }, { "dated", 0 },
	{ "date of this agreement", 0 }, { "生效日期", 0 }, { "生效时间", 0 },
	{ "生效日", 0 }, { "施行日期", 0 }, { "实施日期", 0 },
	{ "last updated", 1 }, { "last revised", 1 }, { "last modified", 1 },
	{ "last amended", 1 }, { "updated:", 1 }, { "updated on", 1 },
	{ "established on", 1 },
	{ "updated as of", 1 }, { "revised:", 1 }, { "revised on", 1 },
	{ "revision date", 1 }, { "version date", 1 }, { "更新日期", 1 },
	{ "更新时间", 1 }, { "最近更新", 1 }, { "最后更新", 1 }, { "修订日期", 1 },
	{ "发布日期", 1 }, { "版本日期", 1 }, { "修改日期", 1 }, { "更新于", 1 },
};
/* Chinese: the date comes first ("自2022年11月8日起生效"). */
static const char DATE_AFTER_ZH[] = "起生效|起施行|起实施|生效|施行";
/* A sentence about a law, not about the document. */
static const char LAW_EN[] = "<law>|<laws>|<act>|<regulation";

/* ---- matching ---- */

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Find one alternative [a, a+al) in s[from, n) honouring '<' '>' marks;
 * returns the end offset of the earliest match, or -1. */
static long
find_alt(const char *s, size_t n, size_t from, const char *a, size_t al,
    long *start)
{
	int wstart = 0, wend = 0;
	const char *p;
	size_t off = from;

	if (al && a[0] == '<') {
		wstart = 1;
		a++;
		al--;
	}
	if (al && a[al - 1] == '>') {
		wend = 1;
		al--;
	}
	if (al == 0)
		return -1;
	while (off < n && (p = memmem(s + off, n - off, a, al)) != NULL) {
		size_t pos = (size_t)(p - s);
		if ((!wstart || pos == 0 || !is_alpha((unsigned char)s[pos - 1])) &&
		    (!wend || pos + al >= n || !is_alpha((unsigned char)s[pos + al]))) {
			*start = (long)pos;
			return (long)(pos + al);
		}
		off = pos + 1;
	}
	return -1;
}

/* Earliest match of any alternative of group g (length gl) from offset;
 * with first, just a match (the last group of a pattern asks no more). */
static long
find_group(const char *s, size_t n, size_t from, const char *g, size_t gl,
    long *start, int first)
{
	long best = -1, bstart = -1;
	size_t i = 0;

	while (i <= gl) {
		size_t j = i;
		long st, e;

		while (j < gl && g[j] != '|')
			j++;
		e = find_alt(s, n, from, g + i, j - i, &st);
		if (e >= 0 && (bstart < 0 || st < bstart)) {
			best = e;
			bstart = st;
			if (first)
				break;
		}
		i = j + 1;
	}
	if (start)
		*start = bstart;
	return best;
}

/* Whether all " ... "-separated groups of pat occur in order; *at gets the
 * start of the first group's match. */
static int
pat_find(const char *s, size_t n, const char *pat, long *at)
{
	size_t from = 0;
	const char *g = pat;
	int first = 1;

	for (;;) {
		const char *sep = strstr(g, " ... ");
		size_t gl = sep ? (size_t)(sep - g) : strlen(g);
		long st, e = find_group(s, n, from, g, gl, &st,
		    !sep && !(first && at));

		if (e < 0)
			return 0;
		if (first && at)
			*at = st;
		first = 0;
		from = (size_t)e;
		if (!sep)
			return 1;
		g = sep + 5;
	}
}

/* Top-level alternatives of whole sequences are separated by "||". */
static int
pat_match(const char *s, size_t n, const char *pat)
{
	const char *p = pat, *sep;
	char buf[512];

	while ((sep = strstr(p, "||")) != NULL) {
		size_t k = (size_t)(sep - p);
		if (k < sizeof(buf)) {
			memcpy(buf, p, k);
			buf[k] = '\0';
			if (pat_find(s, n, buf, NULL))
				return 1;
		}
		p = sep + 2;
	}
	return pat_find(s, n, p, NULL);
}

/* ---- sentences ---- */

struct sent {
	const char *s;		/* verbatim, inside the clause text */
	size_t n;
	char *lc;		/* ASCII-lowercased copy (shared buffer) */
};

static int
is_abbrev(const char *s, size_t dot)
{
	static const char *const ab[] = { "e.g", "i.e", "etc", "co", "ltd", "inc",
		"no", "nos", "mr", "mrs", "ms", "dr", "art", "sec", "vs", "u.s", "p",
		"pp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
		"oct", "nov", "dec", "st", "corp", "para", "cl", "approx", "incl", "ref" };
	size_t b = dot, i, k;

	while (b > 0 && (is_alpha((unsigned char)s[b - 1]) || s[b - 1] == '.'))
		b--;
	k = dot - b;
	if (k == 0)
		return 0;
	if (k == 1 && s[b] >= 'A' && s[b] <= 'Z')
		return 1;	/* an initial */
	for (i = 0; i < sizeof(ab) / sizeof(ab[0]); i++)
		if (strlen(ab[i]) == k && strncasecmp(s + b, ab[i], k) == 0)
			return 1;
	return 0;
}

/* Calls fn for each sentence of text; stops early when fn returns nonzero. */
typedef int (*sent_fn)(void *ctx, const char *s, size_t n);

static void
for_sentences(const char *t, size_t n, sent_fn fn, void *ctx)
{
	size_t i = 0, start = 0;

	while (i < n) {
		unsigned char c = (unsigned char)t[i];
		size_t end = 0;	/* one past the sentence's last byte */

		if (c == '\n') {
			end = i;
			i++;
		} else if (c == '.' || c == '!' || c == '?') {
			size_t j = i + 1;
			while (j < n && strchr("\"')*_]", t[j]) && t[j])
				j++;
			/* "etc." ends a sentence when a capital follows */
			int abbr = c == '.' && is_abbrev(t, i) &&
			    !(i >= 3 && strncasecmp(t + i - 3, "etc", 3) == 0 &&
			    j + 1 < n && t[j + 1] >= 'A' && t[j + 1] <= 'Z');
			if ((j >= n || isspace((unsigned char)t[j])) && !abbr) {
				end = j;
				i = j;
			} else {
				i++;
				continue;
			}
		} else if (c == 0xe3 && i + 2 < n && (unsigned char)t[i + 1] == 0x80 &&
		    (unsigned char)t[i + 2] == 0x82) {	/* 。 */
			end = i + 3;
			i += 3;
		} else if (c == 0xef && i + 2 < n && (unsigned char)t[i + 1] == 0xbc &&
		    ((unsigned char)t[i + 2] == 0x81 || (unsigned char)t[i + 2] == 0x9f ||
		    (unsigned char)t[i + 2] == 0x9b)) {	/* ！ ？ ； */
			end = i + 3;
			i += 3;
		} else {
			i++;
			continue;
		}
		while (start < end && isspace((unsigned char)t[start]))
			start++;
		{
			size_t e = end;
			while (e > start && isspace((unsigned char)t[e - 1]))
				e--;
			if (e > start && fn(ctx, t + start, e - start))
				return;
		}
		start = i;
	}
	while (start < n && isspace((unsigned char)t[start]))
		start++;
	{
		size_t e = n;
		while (e > start && isspace((unsigned char)t[e - 1]))
			e--;
		if (e > start)
			fn(ctx, t + start, e - start);
	}
}

/* ---- numbers ---- */

static int
cn_digit(const char *s, size_t n, size_t *len)
{
	static const struct { const char *c; int v; } d[] = {
		{ "零", 0 }, { "〇", 0 }, { "一", 1 }, { "二", 2 }, { "两", 2 },
		{ "三", 3 }, { "四", 4 }, { "五", 5 }, { "六", 6 }, { "七", 7 },
		{ "八", 8 }, { "九", 9 }, { "十", 10 }, { "百", 100 }, { "千", 1000 },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (n >= 3 && memcmp(s, d[i].c, 3) == 0) {
			*len = 3;
			return d[i].v;
		}
	return -1;
}

/* "十五" 15, "三十" 30, "一百八十" 180; -1 if not a numeral. */
static int
cn_value(const char *s, size_t n)
{
	size_t i = 0, k;
	int total = 0, cur = 0, v, any = 0;

	while (i < n) {
		v = cn_digit(s + i, n - i, &k);
		if (v < 0)
			return -1;
		any = 1;
		if (v >= 10) {
			total += (cur ? cur : 1) * v;
			cur = 0;
		} else
			cur = cur * 10 + v;
		i += k;
	}
	return any ? total + cur : -1;
}

static int
en_number(const char *w, size_t n)
{
	static const char *const units[] = { "zero", "one", "two", "three", "four",
		"five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
		"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
		"nineteen" };
	static const char *const tens[] = { "", "", "twenty", "thirty", "forty",
		"fifty", "sixty", "seventy", "eighty", "ninety" };
	size_t i, j;

	for (i = 0; i < 20; i++)
		if (strlen(units[i]) == n && strncmp(w, units[i], n) == 0)
			return (int)i;
	for (i = 2; i < 10; i++) {
		size_t tl = strlen(tens[i]);
		if (n == tl && strncmp(w, tens[i], n) == 0)
			return (int)(i * 10);
		if (n > tl + 1 && strncmp(w, tens[i], tl) == 0 && w[tl] == '-')
			for (j = 1; j < 10; j++)
				if (strlen(units[j]) == n - tl - 1 &&
				    strncmp(w + tl + 1, units[j], n - tl - 1) == 0)
					return (int)(i * 10 + j);
	}
	return -1;
}

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* The number just before offset u (a "day" unit): "30 ", "thirty (30) ",
 * "thirty ", "十五", "15 个工作". -1 when none. */
static int
number_before(const char *s, size_t u)
{
	static const char *const qual[] = { "calendar ", "business ", "working ",
		"natural ", "个工作", "个自然", "个", "工作", "自然" };
	size_t j = u, i, b;
	int changed = 1, v;

	while (changed) {
		changed = 0;
		while (j > 0 && s[j - 1] == ' ')
			j--;
		for (i = 0; i < sizeof(qual) / sizeof(qual[0]); i++)
			if (ends_with(s, j, qual[i])) {
				j -= strlen(qual[i]);
				changed = 1;
				break;
			}
	}
	if (j == 0)
		return -1;
	if (s[j - 1] == ')' || ends_with(s, j, "）")) {
		j -= s[j - 1] == ')' ? 1 : 3;
		b = j;
		while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
			b--;
		if (b == j || j - b > 3)
			return -1;
		return atoi(s + b);	/* digits end at j: ')' follows */
	}
	if (s[j - 1] >= '0' && s[j - 1] <= '9') {
		b = j;
		while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
			b--;
		if (j - b > 3)
			return -1;
		/* "11月8日" is a date, "2.5 days" a fraction */
		if (ends_with(s, b, "月") || (b > 0 && strchr("./-", s[b - 1]) && s[b - 1]))
			return -1;
		v = 0;
		for (i = b; i < j; i++)
			v = v * 10 + (s[i] - '0');
		return v;
	}
	if (is_alpha((unsigned char)s[j - 1])) {
		b = j;
		while (b > 0 && (is_alpha((unsigned char)s[b - 1]) || s[b - 1] == '-'))
			b--;
		return en_number(s + b, j - b);
	}
	b = j;
	while (b >= 3) {
		size_t k;
		if (cn_digit(s + b - 3, 3, &k) < 0)
			break;
		b -= 3;
	}
	if (b == j || ends_with(s, b, "月"))
		return -1;
	return cn_value(s + b, j - b);
}

/* Days of notice in a sentence (lowercased), or -1. */
static int
notice_days(const char *lc, size_t n)
{
	static const char *const unit[] = { "day", "天", "日" };
	size_t k, off;
	int v;

	for (k = 0; k < 3; k++) {
		size_t ul = strlen(unit[k]);
		const char *p;

		for (off = 0; off < n && (p = memmem(lc + off, n - off, unit[k], ul)); ) {
			size_t u = (size_t)(p - lc);
			off = u + ul;
			if (k == 0 && u > 0 && is_alpha((unsigned char)lc[u - 1]))
				continue;	/* "today", "holiday" */
			if (k == 2 && off + 3 <= n && memcmp(lc + off, "期", 3) == 0)
				continue;	/* 日期 */
			v = number_before(lc, u);
			if (v > 0 && v <= 366)
				return v;
		}
	}
	return -1;
}

/* ---- dates ---- */

static int
read_int(const char *s, size_t n, size_t *i, int maxd)
{
	int v = 0, d = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && d < maxd) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		d++;
	}
	if (d == 0 || (*i < n && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	return v;
}

static int
month_at(const char *s, size_t n, size_t *len)
{
	static const char *const m[] = { "january", "february", "march", "april",
		"may", "june", "july", "august", "september", "october", "november",
		"december" };
	size_t i, k;

	for (i = 0; i < 12; i++) {
		k = strlen(m[i]);
		if (n >= k && strncasecmp(s, m[i], k) == 0 &&
		    (n == k || !is_alpha((unsigned char)s[k]))) {
			*len = k;
			return (int)i + 1;
		}
		/* "Nov", "Nov.", "Sept." */
		if (n >= 3 && strncasecmp(s, m[i], 3) == 0) {
			k = 3;
			if (i == 8 && n >= 4 && (s[3] == 't' || s[3] == 'T'))
				k = 4;
			if (n > k && is_alpha((unsigned char)s[k]))
				continue;
			if (n > k && s[k] == '.')
				k++;
			*len = k;
			return (int)i + 1;
		}
	}
	return 0;
}

static size_t
skip_bracket(const char *s, size_t n, size_t i, const char *b)
{
	size_t k = strlen(b);

	while (i < n && s[i] == ' ')
		i++;
	if (i + k <= n && memcmp(s + i, b, k) == 0)
		i += k;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* The rest of a date after its day and month, from s[i]: an optional
 * ',', spaces and a year from 1900.  The day number (*len the bytes
 * used), or DATE_NONE. */
static int32_t
date_year_end(const char *s, size_t n, size_t i, int m, int d, size_t *len)
{
	int32_t r;
	int y;

	if (i < n && s[i] == ',')
		i++;
	while (i < n && s[i] == ' ')
		i++;
	y = read_int(s, n, &i, 4);
	if (y < 1900 || (r = date_from_ymd(y, m, d)) == DATE_NONE)
		return DATE_NONE;
	*len = i;
	return r;
}

/* 2022-11-08, 2022/11/08, 2022.11.08: the separator at s[i], after the
 * year y. */
static int32_t
date_ymd_sep(const char *s, size_t n, size_t i, int y, size_t *len)
{
	char sep = s[i++];
	int m, d;
	int32_t r;

	m = read_int(s, n, &i, 2);
	if (m <= 0 || i >= n || s[i] != sep)
		return DATE_NONE;
	i++;
	d = read_int(s, n, &i, 2);
	if (d <= 0 || (r = date_from_ymd(y, m, d)) == DATE_NONE)
		return DATE_NONE;
	*len = i;
	return r;
}

/* 2022年11月8日, 【2026】年【1】月【5】日: from s[i], after the year y. */
static int32_t
date_cjk(const char *s, size_t n, size_t i, int y, size_t *len)
{
	int m, d;
	int32_t r;

	i = skip_bracket(s, n, i, "】");
	if (n - i < 3 || memcmp(s + i, "年", 3) != 0)
		return DATE_NONE;
	i = skip_bracket(s, n, i + 3, "【");
	m = read_int(s, n, &i, 2);
	i = skip_bracket(s, n, i, "】");
	if (m <= 0 || n - i < 3 || memcmp(s + i, "月", 3) != 0)
		return DATE_NONE;
	i = skip_bracket(s, n, i + 3, "【");
	d = read_int(s, n, &i, 2);
	i = skip_bracket(s, n, i, "】");
	if (d <= 0 || n - i < 3 || (memcmp(s + i, "日", 3) != 0 &&
	    memcmp(s + i, "号", 3) != 0) || (r = date_from_ymd(y, m, d)) == DATE_NONE)
		return DATE_NONE;
	*len = i + 3;
	return r;
}

/* 8 November 2022, from s[i]. */
static int32_t
date_dmy(const char *s, size_t n, size_t i, size_t *len)
{
	size_t k;
	int m, d;

	d = read_int(s, n, &i, 2);
	if (d <= 0 || i >= n || s[i] != ' ')
		return DATE_NONE;
	i++;
	if ((m = month_at(s + i, n - i, &k)) <= 0)
		return DATE_NONE;
	return date_year_end(s, n, i + k, m, d, len);
}

/* November 8, 2022; Nov. 8th 2022 */
static int32_t
date_mdy(const char *s, size_t n, size_t *len)
{
	size_t i;
	int m, d;

	if ((m = month_at(s, n, &i)) <= 0)
		return DATE_NONE;
	while (i < n && s[i] == ' ')
		i++;
	d = read_int(s, n, &i, 2);
	if (d <= 0)
		return DATE_NONE;
	if (i + 2 <= n && (strncmp(s + i, "st", 2) == 0 || strncmp(s + i, "nd", 2) == 0 ||
	    strncmp(s + i, "rd", 2) == 0 || strncmp(s + i, "th", 2) == 0))
		i += 2;
	return date_year_end(s, n, i, m, d, len);
}

/* A date starting exactly at s: day number, *len the bytes used. */
static int32_t
date_at(const char *s, size_t n, size_t *len)
{
	size_t i, st;
	int32_t r = DATE_NONE;
	int y;

	/* a year first (after a 【 the CJK form may open with), else a day,
	 * else a month */
	i = st = skip_bracket(s, n, 0, "【");
	if (i >= n || s[i] < '0' || s[i] > '9')
		return date_mdy(s, n, len);
	y = read_int(s, n, &i, 4);
	if (y >= 1900 && y <= 2200 && i - st == 4)
		r = i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.') ?
		    date_ymd_sep(s, n, i, y, len) : date_cjk(s, n, i, y, len);
	return r != DATE_NONE ? r : date_dmy(s, n, st, len);
}

/* First date starting within [from, to) of s. */
static int32_t
date_in(const char *s, size_t n, size_t from, size_t to, size_t *at, size_t *len)
{
	size_t i;
	int32_t r;

	if (to > n)
		to = n;
	for (i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i > 0 && (is_alpha((unsigned char)s[i - 1]) ||
		    (s[i - 1] >= '0' && s[i - 1] <= '9')))
			continue;	/* dates start at a word boundary */
		if (!((c >= '0' && c <= '9') || is_alpha(c) || c == 0xe3))
			continue;
		if ((r = date_at(s + i, n - i, len)) != DATE_NONE) {
			*at = i;
			return r;
		}
	}
	return DATE_NONE;
}

/* The whole string is one date, maybe after "Dated:" / "Date:". */
static int32_t
date_only(const char *s, size_t n)
{
	size_t at, len, i = 0;
	int32_t r;

	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '.'))
		n--;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (n - i > 60)
		return DATE_NONE;
	if (n - i >= 6 && strncasecmp(s + i, "dated", 5) == 0)
		i += 5;
	else if (n - i >= 5 && strncasecmp(s + i, "date:", 5) == 0)
		i += 4;
	while (i < n && (s[i] == ':' || s[i] == ' '))
		i++;
	r = date_in(s, n, i, i + 1, &at, &len);
	if (r == DATE_NONE || at + len != n)
		return DATE_NONE;
	return r;
}

/* ---- analysis ---- */

struct an {
	const struct clause_list *cl;
	struct rules *r;
	size_t ci;		/* current clause */
	const char *ctx;	/* lowercased heading path + heading text */
	size_t ctxn;
	int zh_ctx;
	struct strbuf lc, ctxbuf, prev;
	size_t rule_alloc;
	size_t nkind[16];
	/* the headline notice */
	int notice_found, best_rank;
	/* objection with an instruction wins */
	int objection_instr;
	size_t material_end;	/* clauses before this are definition items */
	int material_done;
	int head_change;	/* the nearest heading is about changing the document */
	int ctx_change;		/* the clause's context speaks of changes: -1 unknown */
	int prev_change;	/* so does the previous sentence */
	int cue_pending;	/* 1 effective, 2 updated: a date cue ended the
				   last sentence ("effective as of" / "August 6,
				   2018." on the next line) */
};

static const char *const kinds[] = { "effective-date", "updated-date", "notice",
	"deemed-acceptance", "material-definition", "fee-change",
	"notice-acceptance", "no-notice-change", "rights-transfer", "objection" };
enum { K_EFF, K_UPD, K_NOTICE, K_DEEMED, K_MATDEF, K_FEE, K_NACC, K_NONOTICE,
	K_TRANSFER, K_OBJECT };

static void
add_rule(struct an *a, int kind, const char *label, const char *s, size_t n)
{
	struct rules *r = a->r;
	size_t i;

	if (a->nkind[kind] >= RULES_PER_KIND)
		return;
	/* the same sentence twice (a clause matched twice): once */
	for (i = r->nrule; i > 0 && i + 4 > r->nrule; i--)
		if (strcmp(r->rule[i - 1].kind, kinds[kind]) == 0 &&
		    strcmp(r->rule[i - 1].clause, label) == 0 &&
		    strlen(r->rule[i - 1].text) == n &&
		    memcmp(r->rule[i - 1].text, s, n) == 0)
			return;
	ALLOC_GROW(r->rule, r->nrule + 1, a->rule_alloc);
	r->rule[r->nrule].clause = xstrdup(label);
	r->rule[r->nrule].kind = xstrdup(kinds[kind]);
	r->rule[r->nrule].text = xstrndup(s, n);
	r->nrule++;
	a->nkind[kind]++;
}

static int
any(const char *s, size_t n, const char *en, const char *zh)
{
	return pat_match(s, n, en) || pat_match(s, n, zh);
}

static int
neg_notice(const char *lc, size_t n)
{
	long st;
	size_t off = 0;

	if (pat_match(lc, n, NONOTICE_ZH))
		return 1;
	/* "without notice", "without your consent or notice in advance",
	 * "without notifying the Developer": close together */
	while (off < n) {
		long e = find_alt(lc, n, off, "<without", 8, &st);
		long e2, st2;
		if (e < 0)
			break;
		e2 = find_group(lc, n, (size_t)e, "notic|notif|inform", 18, &st2, 0);
		if (e2 >= 0 && st2 - e <= 40)
			return 1;
		off = (size_t)e;
	}
	return pat_match(lc, n, "<no notice|need not notify|not be obliged to notify|no obligation to notify");
}

/* Does the sentence end with a date cue, its date to come next? */
static void
cue_at_end(struct an *a, const char *lc, size_t n)
{
	size_t i, cl;

	while (n > 0 && (lc[n - 1] == ' ' || lc[n - 1] == ':' || lc[n - 1] == '\n'))
		n--;
	for (i = 0; i < sizeof(date_cues) / sizeof(date_cues[0]); i++) {
		cl = strlen(date_cues[i].cue);
		if (n >= cl && memcmp(lc + n - cl, date_cues[i].cue, cl) == 0) {
			a->cue_pending = date_cues[i].updated ? 2 : 1;
			return;
		}
	}
}

static void
find_dates(struct an *a, const char *s, size_t n, const char *lc)
{
	struct rules *r = a->r;
	const char *label = a->cl->v[a->ci].label;
	size_t i, at, len;
	int32_t d;
	int digit = 0;

	for (i = 0; i < n && !digit; i++)
		digit = lc[i] >= '0' && lc[i] <= '9';
	if (a->cue_pending) {
		int upd = a->cue_pending == 2;

		a->cue_pending = 0;
		if (digit && (upd ? r->updated : r->effective) == DATE_NONE &&
		    (d = date_in(s, n, 0, DATE_WINDOW, &at, &len)) != DATE_NONE) {
			if (upd)
				r->updated = d;
			else
				r->effective = d;
			add_rule(a, upd ? K_UPD : K_EFF, label, s, n);
		}
	}
	if (!digit) {
		cue_at_end(a, lc, n);
		return;
	}
	for (i = 0; i < sizeof(date_cues) / sizeof(date_cues[0]); i++) {
		long st;
		size_t ce, cl = strlen(date_cues[i].cue);
		long e = find_alt(lc, n, 0, date_cues[i].cue, cl, &st);
		const char *p;
		int upd = date_cues[i].updated;

		/* ASCII cues start a word: "dated" is not "updated" */
		while (e >= 0 && st > 0 && is_alpha((unsigned char)lc[st - 1]))
			e = find_alt(lc, n, (size_t)st + 1, date_cues[i].cue, cl, &st);
		if (e < 0)
			continue;
		p = lc + st;
		ce = (size_t)e;
		if ((upd ? r->updated : r->effective) != DATE_NONE)
			continue;
		/* an "effective" cue inside a sentence about a law is the
		 * law's date; short lines and sentences that start with the
		 * cue are the document's own */
		if (!upd && n > 80 && p != lc && pat_match(lc, n, LAW_EN))
			continue;
		if (!upd && strcmp(date_cues[i].cue, "dated") == 0 && n > 80 &&
		    !pat_match(lc, n, DOC_EN))
			continue;
		d = date_in(s, n, ce, ce + DATE_WINDOW, &at, &len);
		if (d == DATE_NONE)
			continue;
		if (upd) {
			r->updated = d;
			add_rule(a, K_UPD, label, s, n);
		} else {
			r->effective = d;
			add_rule(a, K_EFF, label, s, n);
		}
	}
	/* 本协议自2022年11月8日起生效 */
	if (r->effective == DATE_NONE && pat_match(lc, n, DATE_AFTER_ZH)) {
		size_t off = 0;
		while (off < n && (d = date_in(s, n, off, n, &at, &len)) != DATE_NONE) {
			size_t e = at + len, j = e;
			long st;
			while (j < n && s[j] == ' ')
				j++;
			if (find_group(s, n < j + 12 ? n : j + 12, j, DATE_AFTER_ZH,
			    strlen(DATE_AFTER_ZH), &st, 0) >= 0 && (size_t)st <= j + 3) {
				r->effective = d;
				add_rule(a, K_EFF, label, s, n);
				break;
			}
			off = e;
		}
	}
}

/* Phases of find_material. */

static void
add_material(struct rules *r, const char *s, size_t n)
{
	if (r->nmaterial >= 64)
		return;
	util_strv_push(&r->material, &r->nmaterial, xstrndup(s, n));
}

/* Where a definition of material changes starts in lc (lower-cased), with
 * its verb close to the cue: this is a definition, not any sentence that
 * happens to contain both words.  -1 when there is none. */
static long
matdef_cue(const char *lc, size_t n, int *zh)
{
	long at = -1, at2;

	if (pat_find(lc, n, MATDEF_EN, &at) &&
	    pat_find(lc + at, n - at, MATDEF_VERB_EN, &at2))
		*zh = 0;
	else if (pat_find(lc, n, MATDEF_ZH, &at) &&
	    pat_find(lc + at, n - at, MATDEF_VERB_ZH, &at2) && at2 <= 12)
		*zh = 1;
	else
		return -1;
	return at2 > 60 ? -1 : at;
}

/* Start of the sentence around the cue at t[at]. */
static size_t
sentence_start(const char *t, size_t at)
{
	size_t s = at;

	while (s > 0 && t[s - 1] != '\n' &&
	    !(s >= 3 && memcmp(t + s - 3, "。", 3) == 0) &&
	    !(s >= 2 && t[s - 1] == ' ' && t[s - 2] == '.'))
		s--;
	return s;
}

/* The end of the defining sentence from t[at]: at a list colon (not
 * "https:"), whose items then run to the end of the clause (*items,
 * *ilen, leading blanks skipped), or at the sentence's end. */
static size_t
sentence_items(const char *t, size_t n, size_t at, const char **items,
    size_t *ilen)
{
	const char *colon = NULL;
	size_t k;

	for (k = at; k < n; k++) {
		if (t[k] == ':' && (k + 1 == n || isspace((unsigned char)t[k + 1]))) {
			colon = t + k + 1;
			break;
		}
		if (t[k] == '.' && (k + 1 == n || isspace((unsigned char)t[k + 1])) &&
		    !is_abbrev(t, k))
			break;
		if (k + 3 <= n && memcmp(t + k, "：", 3) == 0) {
			colon = t + k + 3;
			break;
		}
		if (t[k] == '\n' || (k + 3 <= n && memcmp(t + k, "。", 3) == 0))
			break;
	}
	*items = colon;
	*ilen = colon ? n - (size_t)(colon - t) : 0;
	while (*items && *ilen > 0 && isspace((unsigned char)**items)) {
		(*items)++;
		(*ilen)--;
	}
	return colon ? (size_t)(colon - t) : k;
}

/* Items inline: "A；B；C。" or "(1) A; (2) B". */
static void
material_inline(struct rules *r, const char *items, size_t ilen)
{
	size_t p = 0;

	while (p < ilen) {
		size_t q = p, e;
		while (q < ilen && items[q] != ';' && items[q] != '\n' &&
		    !(q + 3 <= ilen && (memcmp(items + q, "；", 3) == 0)))
			q++;
		e = q;
		while (e > p && (isspace((unsigned char)items[e - 1]) ||
		    items[e - 1] == '.' || (e - p >= 3 && memcmp(items + e - 3, "。", 3) == 0)))
			e -= (e - p >= 3 && memcmp(items + e - 3, "。", 3) == 0) ? 3 : 1;
		while (p < e && isspace((unsigned char)items[p]))
			p++;
		/* drop "(1)", "（1）", "1." numbering */
		if (p < e && (items[p] == '(' || (e - p >= 3 && memcmp(items + p, "（", 3) == 0))) {
			size_t z = p + (items[p] == '(' ? 1 : 3);
			while (z < e && ((items[z] >= '0' && items[z] <= '9') ||
			    (items[z] >= 'a' && items[z] <= 'z')))
				z++;
			if (z < e && items[z] == ')')
				p = z + 1;
			else if (z + 3 <= e && memcmp(items + z, "）", 3) == 0)
				p = z + 3;
			while (p < e && isspace((unsigned char)items[p]))
				p++;
		}
		if (e > p)
			add_material(r, items + p, e - p);
		p = q + (q < ilen && items[q] != ';' && items[q] != '\n' ? 3 : 1);
	}
}

/* Items are the clauses nested under clause a->ci. */
static void
material_nested(struct an *a)
{
	const struct clause_list *cl = a->cl;
	int level = cl->v[a->ci].level;
	size_t i;

	for (i = a->ci + 1; i < cl->n && cl->v[i].level > level; i++)
		if (cl->v[i].level == level + 1)
			add_material(a->r, cl->v[i].text, strlen(cl->v[i].text));
	a->material_end = i;
}

/* A phrase: "material changes, such as price increases"; it ends with its
 * sentence (at send) or where the sentence goes on: "such as price
 * increases, at least". */
static void
material_phrase(struct rules *r, const char *t, const char *lc, size_t at,
    size_t send)
{
	static const char verbs[] = "include but are not limited to|"
	    "includes but is not limited to|including but not limited to|"
	    "such as|e.g.|including|for example|includes|include";
	static const char *const after[] = { " at ", " by ", " in ",
		" within ", " before ", " prior ", " we ", " you ",
		" which ", " when ", " if ", " and we ", NULL };
	long st, e = find_group(lc, send, at, verbs, strlen(verbs), &st, 0);
	size_t p, q, z;

	if (e < 0 || st - (long)at > 60)
		return;
	p = (size_t)e;
	while (p < send && (t[p] == ' ' || t[p] == ','))
		p++;
	for (q = p; q < send && t[q] != '.' && t[q] != ';' && t[q] != ')'; q++) {
		if (t[q] != ',')
			continue;
		for (z = 0; after[z]; z++)
			if (send - q > strlen(after[z]) &&
			    strncasecmp(t + q + 1, after[z], strlen(after[z])) == 0)
				break;
		if (after[z])
			break;
	}
	while (q > p && isspace((unsigned char)t[q - 1]))
		q--;
	if (q > p)
		add_material(r, t + p, q - p);
}

static void
find_material(struct an *a)
{
	const struct clause *c = &a->cl->v[a->ci];
	const char *t = c->text, *items;
	size_t n = strlen(t), i, sstart, send, ilen;
	struct strbuf lc = STRBUF_INIT;
	long at;
	int zh = 0;

	strbuf_add(&lc, t, n);
	for (i = 0; i < n; i++)
		if (lc.buf[i] >= 'A' && lc.buf[i] <= 'Z')
			lc.buf[i] += 32;
	if ((at = matdef_cue(lc.buf, n, &zh)) < 0)
		goto out;
	sstart = sentence_start(t, (size_t)at);
	send = sentence_items(t, n, (size_t)at, &items, &ilen);
	if (items && ilen > 0)
		material_inline(a->r, items, ilen);
	else if (items)
		material_nested(a);
	else if (!zh)
		material_phrase(a->r, t, lc.buf, (size_t)at, send);
	if (a->r->nmaterial > 0) {
		a->material_done = 1;
		a->r->material_clause = xstrdup(c->label);
		add_rule(a, K_MATDEF, c->label, t + sstart, send - sstart);
	}
out:
	strbuf_release(&lc);
}

/* A heading such as "Changes", "Amendments", "Changes to this Policy",
 * "协议变更": every sentence under it is about changing the document. A
 * heading that names something else ("Changes to the Service", "Price
 * changes") is not. lc is lowercased. */
static int
heading_is_doc_change(const char *lc, size_t n)
{
	static const char *const filler_en[] = { "to", "of", "the", "these",
		"this", "our", "and", "in", "its", "notice", "notices", "future",
		"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi",
		"xii", "xiii", "xiv", "xv", NULL };
	static const char *const filler_zh[] = { "的", "本", "与", "和", "及",
		"通知", "第", "条", "章", "一", "二", "三", "四", "五", "六", "七",
		"八", "九", "十", "、", "．", "（", "）", NULL };
	size_t i = 0, k;

	if (!any(lc, n, CHANGE_EN, CHANGE_ZH))
		return 0;
	if (any(lc, n, DOC_EN, DOC_ZH))
		return 1;
	while (i < n) {
		unsigned char ch = (unsigned char)lc[i];
		size_t w;

		if (ch < 0x80 && !is_alpha(ch)) {
			i++;	/* numbering, punctuation, spaces */
			continue;
		}
		if (ch < 0x80) {
			for (w = i; w < n && (is_alpha((unsigned char)lc[w]) ||
			    lc[w] == '\''); w++)
				;
			if (pat_match(lc + i, w - i, CHANGE_EN)) {
				i = w;
				continue;
			}
			for (k = 0; filler_en[k]; k++)
				if (strlen(filler_en[k]) == w - i &&
				    memcmp(lc + i, filler_en[k], w - i) == 0)
					break;
			if (!filler_en[k])
				return 0;
			i = w;
			continue;
		}
		/* CJK: a change word or a filler at i */
		{
			static const char *const chz[] = { "变更", "修改", "修订",
				"变动", "调整", "更新", "修正", NULL };
			int hit = 0;

			for (k = 0; chz[k] && !hit; k++)
				if (n - i >= strlen(chz[k]) &&
				    memcmp(lc + i, chz[k], strlen(chz[k])) == 0) {
					i += strlen(chz[k]);
					hit = 1;
				}
			for (k = 0; filler_zh[k] && !hit; k++)
				if (n - i >= strlen(filler_zh[k]) &&
				    memcmp(lc + i, filler_zh[k], strlen(filler_zh[k])) == 0) {
					i += strlen(filler_zh[k]);
					hit = 1;
				}
			if (!hit)
				return 0;
		}
	}
	return 1;
}

struct sentctx {
	struct an *a;
	int idx;		/* sentence number in the clause */
	size_t nsent_text;	/* for the next clause lookahead */
};

/* A change made without notice: a rule when the sentence, or the clause
 * under it, is about changing something. */
static void
no_notice_rule(struct an *a, const char *s, size_t n, const char *lc, int change)
{
	const struct clause *c = &a->cl->v[a->ci];
	int harmless = any(lc, n, NOHARM_EN, NOHARM_ZH);
	int next_change = 0;

	/* "...take the following measures without notice:" then
	 * "Modify the relevant agreements": look at the next clause */
	if (a->ci + 1 < a->cl->n && a->cl->v[a->ci + 1].level > c->level) {
		const char *nt = a->cl->v[a->ci + 1].text;
		size_t nn = strlen(nt), k;
		struct strbuf tmp = STRBUF_INIT;

		strbuf_add(&tmp, nt, nn > 400 ? 400 : nn);
		for (k = 0; k < tmp.len; k++)
			if (tmp.buf[k] >= 'A' && tmp.buf[k] <= 'Z')
				tmp.buf[k] += 32;
		next_change = any(tmp.buf, tmp.len, CHANGE_EN, CHANGE_ZH);
		strbuf_release(&tmp);
	}
	if (change || harmless || next_change)
		add_rule(a, K_NONOTICE, c->label, s, n);
}

/* A notice sentence: "We may amend this Agreement. We will notify you by
 * e-mail." (the previous sentence of the clause may say what changes).
 * "material changes to this Agreement, such as price increases" is a fee
 * rule, and the general one too when it names the document and material
 * changes. The best-ranked sentence (before effect, then days) sets the
 * scope. */
static void
notice_rule(struct an *a, const char *s, size_t n, const char *lc, int fee,
    int prev_change)
{
	struct rules *r = a->r;
	const char *label = a->cl->v[a->ci].label;
	int before, days, material, rank;
	unsigned k;

	if (fee)
		add_rule(a, K_FEE, label, s, n);
	if (fee && !(any(lc, n, DOC_EN, DOC_ZH) && any(lc, n, MATERIAL_EN, MATERIAL_ZH)))
		return;
	if (!(a->head_change || any(lc, n, DOC_EN, DOC_ZH) ||
	    any(a->ctx, a->ctxn, DOC_EN, DOC_ZH) ||
	    (prev_change && any(a->prev.buf, a->prev.len, DOC_EN, DOC_ZH))))
		return;
	before = any(lc, n, BEFORE_EN, BEFORE_ZH);
	days = notice_days(lc, n);
	material = any(lc, n, MATERIAL_EN, MATERIAL_ZH);
	rank = (before ? 2 : 0) + (days > 0 ? 1 : 0);
	for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
		if (any(lc, n, methods[k].en, methods[k].zh))
			r->methods |= methods[k].bit;
	if (before)
		r->before_effect = 1;
	if (days > 0 && (r->notice_days < 0 || rank > a->best_rank))
		r->notice_days = days;
	if (!a->notice_found || rank > a->best_rank) {
		r->scope = material ? RULES_SCOPE_MATERIAL : RULES_SCOPE_ALL;
		a->best_rank = rank;
	}
	a->notice_found = 1;
	add_rule(a, K_NOTICE, label, s, n);
}

static int
on_sentence(void *vp, const char *s, size_t n)
{
	struct sentctx *sc = vp;
	struct an *a = sc->a;
	struct rules *r = a->r;
	const struct clause *c = &a->cl->v[a->ci];
	const char *label = c->label;
	char *lc;
	size_t i;
	int change, change_ctx, fee, notice, neg, objection, prev_change;

	strbuf_reset(&a->lc);
	strbuf_add(&a->lc, s, n);
	lc = a->lc.buf;
	for (i = 0; i < n; i++)
		if (lc[i] >= 'A' && lc[i] <= 'Z')
			lc[i] += 32;

	find_dates(a, s, n, lc);

	/* the context and the previous sentence are asked once each */
	change = any(lc, n, CHANGE_EN, CHANGE_ZH);
	prev_change = a->prev.len && a->prev_change;
	a->prev_change = change;
	change = change || a->head_change;
	if (!change && a->ctx_change < 0)
		a->ctx_change = any(a->ctx, a->ctxn, CHANGE_EN, CHANGE_ZH);
	change_ctx = change || a->ctx_change > 0;
	notice = (change || a->prev.len) && any(lc, n, NOTICE_EN, NOTICE_ZH);
	neg = (notice || pat_match(lc, n, "notic|notif|通知|告知")) && neg_notice(lc, n);
	fee = any(lc, n, FEE_EN, FEE_ZH) ||
	    (prev_change && any(a->prev.buf, a->prev.len, FEE_EN, FEE_ZH));

	/* "if you notify us in writing that you do not accept": the user's
	 * notice, not a promise of ours */
	objection = pat_match(lc, n, "writing|书面") && (pat_match(lc, n, OBJECT_EN_A) || pat_match(lc, n, OBJECT_EN_B) ||
	    pat_match(lc, n, OBJECT_ZH_A) || pat_match(lc, n, OBJECT_ZH_B));

	if (neg)
		no_notice_rule(a, s, n, lc, change);
	else if (notice && !objection && (change || (prev_change &&
	    any(lc, n, "<notif|<inform you|<inform users|<email you|<e-mail you", "通知|告知") &&
	    any(a->prev.buf, a->prev.len, DOC_EN, DOC_ZH))))
		notice_rule(a, s, n, lc, fee, prev_change);

	/* cheap gates first: the full patterns only where they can match */
	/* "we may require that you accept the modified Terms in order to
	 * continue to use": acceptance asked for, not deemed */
	if (change_ctx && pat_match(lc, n, "<continu|继续") && (pat_match(lc, n, DEEMED_EN_A) || pat_match(lc, n, DEEMED_EN_B) ||
	    pat_match(lc, n, DEEMED_EN_C) || pat_match(lc, n, DEEMED_ZH)) &&
	    !pat_match(lc, n, REQUIRED_EN)) {
		r->deemed_acceptance = 1;
		add_rule(a, K_DEEMED, label, s, n);
	}
	if (pat_match(lc, n, "deemed|视为") && any(lc, n, NOTICEACC_EN, NOTICEACC_ZH))
		add_rule(a, K_NACC, label, s, n);
	if (objection) {
		int instr = any(lc, n, INSTRUCT_EN, INSTRUCT_ZH);
		add_rule(a, K_OBJECT, label, s, n);
		if (!r->objection || (instr && !a->objection_instr)) {
			free(r->objection);
			r->objection = xstrndup(s, n);
			a->objection_instr = instr;
		}
	}
	if (pat_match(lc, n, "<transfer|<assign|转让") && (pat_match(lc, n, TRANSFER_EN) || pat_match(lc, n, TRANSFER_ZH_A) ||
	    pat_match(lc, n, TRANSFER_ZH_B)))
		add_rule(a, K_TRANSFER, label, s, n);

	strbuf_reset(&a->prev);
	strbuf_add(&a->prev, lc, n);
	sc->idx++;
	return 0;
}

static const char *
detect_language(const struct clause_list *cl)
{
	size_t i, cjk = 0, latin = 0;

	for (i = 0; i < cl->n; i++) {
		const char *p = cl->v[i].text;
		size_t n = strlen(p), k = 0;

		while (k < n) {
			ucs4_t c;

			k += text_u8_next(p + k, n - k, &c, NULL);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
				latin++;
			else if (text_is_cjk(c))
				cjk++;
		}
	}
	/* one CJK character carries about as much as a short word */
	return cjk * 3 > latin ? "zh" : "en";
}

/* A document with no "last updated" line that keeps its own changelog
 * ("Changelog:", then dated entries) was last updated on the newest entry. */
static void
changelog_date(struct an *a)
{
	const struct clause_list *cl = a->cl;
	size_t i, j, at, len;

	for (i = 0; i < cl->n; i++) {
		/* its own clause, or the last line of one ("**Changelog:**"
		 * after a numbered clause's text) */
		const char *t = cl->v[i].text, *nl = strrchr(t, '\n');
		size_t n, best_j = 0;
		int32_t best = DATE_NONE, d;

		char low[41];

		if (nl)
			t = nl + 1;
		n = strlen(t);
		if (n > 40)
			continue;
		for (j = 0; j < n; j++)
			low[j] = (t[j] >= 'A' && t[j] <= 'Z') ? (char)(t[j] + 32) : t[j];
		if (!pat_match(low, n, CHANGELOG_EN))
			continue;
		for (j = i + 1; j < cl->n && j < i + 200; j++) {
			const char *e = cl->v[j].text;
			size_t en = strlen(e);

			/* an entry starts with its date */
			if ((d = date_in(e, en, 0, 8, &at, &len)) == DATE_NONE)
				break;
			if (d > best) {
				best = d;
				best_j = j;
			}
		}
		if (best != DATE_NONE) {
			a->r->updated = best;
			add_rule(a, K_UPD, cl->v[best_j].label, cl->v[best_j].text,
			    strlen(cl->v[best_j].text));
			return;
		}
	}
}

int
rules_analyze(const struct clause_list *cl, struct rules *out)
{
	struct an a;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->effective = DATE_NONE;
	out->updated = DATE_NONE;
	out->notice_days = -1;
	out->scope = RULES_SCOPE_UNKNOWN;
	out->language = "en";
	if (!cl)
		return 0;
	out->title = cl->title ? xstrdup(cl->title) : NULL;
	out->nclauses = cl->n;
	out->language = detect_language(cl);

	memset(&a, 0, sizeof(a));
	a.cl = cl;
	a.r = out;
	strbuf_init(&a.lc, 0);
	strbuf_init(&a.ctxbuf, 0);
	strbuf_init(&a.prev, 0);
	for (i = 0; i < cl->n; i++) {
		const struct clause *c = &cl->v[i];
		struct sentctx sc;
		size_t k;

		a.ci = i;
		strbuf_reset(&a.ctxbuf);
		{
			/* the nearest heading only: the outer ones (the
			 * document title, "... Agreement") name the whole
			 * document and say nothing about this clause */
			const char *h = c->heading, *p;
			while ((p = strstr(h, " > ")) != NULL)
				h = p + 3;
			strbuf_addstr(&a.ctxbuf, h);
		}
		for (k = 0; k < a.ctxbuf.len; k++)
			if (a.ctxbuf.buf[k] >= 'A' && a.ctxbuf.buf[k] <= 'Z')
				a.ctxbuf.buf[k] += 32;
		a.head_change = heading_is_doc_change(a.ctxbuf.buf, a.ctxbuf.len);
		if (strlen(c->text) <= 200) {
			strbuf_addstr(&a.ctxbuf, " > ");
			strbuf_addstr(&a.ctxbuf, c->text);
		}
		for (k = 0; k < a.ctxbuf.len; k++)
			if (a.ctxbuf.buf[k] >= 'A' && a.ctxbuf.buf[k] <= 'Z')
				a.ctxbuf.buf[k] += 32;
		a.ctx = a.ctxbuf.buf;
		a.ctxn = a.ctxbuf.len;
		a.ctx_change = -1;
		strbuf_reset(&a.prev);
		if (!a.material_done && i >= a.material_end)
			find_material(&a);
		memset(&sc, 0, sizeof(sc));
		sc.a = &a;
		for_sentences(c->text, strlen(c->text), on_sentence, &sc);
	}
	/* a document dated at its end: the last line is only a date */
	if (out->effective == DATE_NONE && cl->n > 0) {
		const struct clause *c = &cl->v[cl->n - 1];
		const char *t = c->text, *nl = strrchr(t, '\n');
		const char *last = nl ? nl + 1 : t;
		int32_t d = date_only(last, strlen(last));

		if (d != DATE_NONE) {
			out->effective = d;
			add_rule(&a, K_EFF, c->label, last, strlen(last));
		}
	}
	if (out->updated == DATE_NONE)
		changelog_date(&a);
	strbuf_release(&a.lc);
	strbuf_release(&a.ctxbuf);
	strbuf_release(&a.prev);
	return 0;
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (!r)
		return;
	free(r->title);
	util_strv_free(r->material, r->nmaterial);
	free(r->material_clause);
	free(r->objection);
	for (i = 0; i < r->nrule; i++) {
		free(r->rule[i].clause);
		free(r->rule[i].kind);
		free(r->rule[i].text);
	}
	free(r->rule);
	memset(r, 0, sizeof(*r));
	r->effective = DATE_NONE;
	r->updated = DATE_NONE;
	r->notice_days = -1;
}

static const char *const method_names[] = { "email", "website", "in-app", "sms", "letter" };

static json_t *
json_date(int32_t d)
{
	char buf[11];

	if (d == DATE_NONE)
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

static json_t *
json_days(int days)
{
	return days > 0 ? json_integer(days) : json_null();
}

void
rules_json(const struct rules *r, struct strbuf *out)
{
	static const char *const scope[] = { NULL, "material", "all" };
	json_t *mat = json_array(), *rules = json_array();
	size_t i;

	for (i = 0; i < r->nmaterial; i++)
		json_array_append_new(mat, json_text(r->material[i]));
	for (i = 0; i < r->nrule; i++)
		json_array_append_new(rules, json_pack("{s:o, s:o, s:o}",
		    "clause", json_text(r->rule[i].clause),
		    "kind", json_text(r->rule[i].kind),
		    "text", json_text(r->rule[i].text)));
	json_print(out, json_pack("{s:o, s:s, s:I, s:o, s:o, "
	    "s:{s:o, s:b, s:o, s:o}, s:b, s:o, s:o}",
	    "title", json_text(r->title),
	    "language", r->language ? r->language : "en",
	    "clauses", (json_int_t)r->nclauses,
	    "effective_date", json_date(r->effective),
	    "updated_date", json_date(r->updated),
	    "notice",
		"days", json_days(r->notice_days),
		"before_effect", r->before_effect,
		"scope", json_text(scope[r->scope]),
		"methods", json_bitnames(r->methods, method_names, 5),
	    "deemed_acceptance", r->deemed_acceptance,
	    "material_definitions", mat,
	    "rules", rules));
}

/* First rule of a kind, for quoting the headline findings. */
static const struct rules_rule *
first_rule(const struct rules *r, const char *kind)
{
	size_t i;

	for (i = 0; i < r->nrule; i++)
		if (strcmp(r->rule[i].kind, kind) == 0)
			return &r->rule[i];
	return NULL;
}

static void
text_quote(struct strbuf *out, const struct rules_rule *ru)
{
	if (ru)
		strbuf_addf(out, "    [%s] \"%s\"\n", ru->clause, ru->text);
}

void
rules_text(const struct rules *r, struct strbuf *out)
{
	char buf[11];
	size_t i;
	int first = 1;

	strbuf_addf(out, "%s\n", r->title ? r->title : "(untitled document)");
	strbuf_addf(out, "Language: %s; %zu clause%s\n\n", r->language ? r->language : "en",
	    r->nclauses, PLURAL(r->nclauses));

	if (r->effective != DATE_NONE) {
		date_format(r->effective, buf);
		strbuf_addf(out, "Effective date: %s\n", buf);
		text_quote(out, first_rule(r, "effective-date"));
	} else
		strbuf_addstr(out, "Effective date: not stated\n");
	if (r->updated != DATE_NONE) {
		date_format(r->updated, buf);
		strbuf_addf(out, "Last updated: %s\n", buf);
		text_quote(out, first_rule(r, "updated-date"));
	}

	if (first_rule(r, "notice")) {
		strbuf_addstr(out, "Notice of changes: ");
		if (r->notice_days > 0)
			strbuf_addf(out, "%d day%s, ", r->notice_days, PLURAL(r->notice_days));
		strbuf_addstr(out, r->before_effect ? "before the changes take effect"
		    : "not promised before the changes take effect");
		if (r->scope == RULES_SCOPE_MATERIAL)
			strbuf_addstr(out, "; material changes only");
		else if (r->scope == RULES_SCOPE_ALL)
			strbuf_addstr(out, "; all changes");
		if (r->methods) {
			strbuf_addstr(out, "; by ");
			for (i = 0; i < 5; i++) {
				if (!(r->methods & (1u << i)))
					continue;
				strbuf_addf(out, "%s%s", first ? "" : ", ", method_names[i]);
				first = 0;
			}
		}
		strbuf_addstr(out, "\n");
		text_quote(out, first_rule(r, "notice"));
	} else
		strbuf_addstr(out, "Notice of changes: none promised\n");

	strbuf_addf(out, "Continued use counts as acceptance: %s\n",
	    r->deemed_acceptance ? "yes" : "no");
	text_quote(out, first_rule(r, "deemed-acceptance"));

	if (r->nmaterial) {
		strbuf_addf(out, "Material changes, as the document defines them [%s]:\n",
		    r->material_clause ? r->material_clause : "?");
		for (i = 0; i < r->nmaterial; i++)
			strbuf_addf(out, "  - %s\n", r->material[i]);
	} else
		strbuf_addstr(out, "Material changes: no definition of its own\n");
	if (r->objection)
		strbuf_addf(out, "How to object: \"%s\"\n", r->objection);

	if (r->nrule) {
		strbuf_addstr(out, "\nAll findings:\n");
		for (i = 0; i < r->nrule; i++)
			strbuf_addf(out, "  %-19s [%s] \"%s\"\n", r->rule[i].kind,
			    r->rule[i].clause, r->rule[i].text);
	}
}

int32_t
rules_first_date(const char *s, size_t n)
{
	size_t at, len;

	return date_in(s, n, 0, n, &at, &len);
}
