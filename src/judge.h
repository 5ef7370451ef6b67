/* judge: clause-level changes between two versions, each judged editorial or
 * substantive, categorised, and material by the document's own definition
 * (or the documented default), with the deemed-acceptance deadline. */
#ifndef CW_JUDGE_H
#define CW_JUDGE_H
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

enum judge_kind { JUDGE_ADDED, JUDGE_REMOVED, JUDGE_MODIFIED, JUDGE_MOVED };
enum judge_deadline { JUDGE_DL_NONE, JUDGE_DL_DATE, JUDGE_DL_IMMEDIATE };

/* Categories are bits; judge_category_name() gives the contract's names. */
enum {
	JUDGE_C_DATA_COLLECTION, JUDGE_C_DATA_TYPES, JUDGE_C_PURPOSE,
	JUDGE_C_SHARING, JUDGE_C_RETENTION, JUDGE_C_TRANSFER,
	JUDGE_C_USER_RIGHTS, JUDGE_C_SECURITY, JUDGE_C_FEES,
	JUDGE_C_LIABILITY, JUDGE_C_TERMINATION, JUDGE_C_DISPUTES,
	JUDGE_C_LICENSE, JUDGE_C_RESTRICTIONS, JUDGE_C_CHANGE_PROCEDURE,
	JUDGE_C_CONTACT, JUDGE_C_SCOPE, JUDGE_C_COUNT
};

struct judge_change {
	enum judge_kind kind;
	char *clause;		/* label (new label when renumbered) */
	int editorial;
	unsigned categories;	/* 1u << JUDGE_C_* */
	int material;
	char *reason;		/* why editorial / material / not */
	char *old_text;		/* NULL when added */
	char *new_text;		/* NULL when removed */
	char *redline;		/* word diff: "[-old-]{+new+}" marks */
};

struct judge_opts {
	int32_t seen;		/* day first seen (DATE_NONE = today) */
	unsigned extra_material;	/* categories the watchlist adds */
};

struct judge_result {
	int changed;
	int material;
	const char *basis;	/* "own-definition" | "default" | NULL (static) */
	int32_t effective;	/* DATE_NONE when unknown */
	enum judge_deadline deadline_kind;
	int32_t deadline;	/* when deadline_kind == JUDGE_DL_DATE */
	unsigned categories;	/* union over substantive changes */
	char *title;		/* new version's title, or NULL */
	char *objection;	/* how to object, from the document, or NULL */
	char *material_reason;	/* first material change's reason, or NULL */
	char *material_item;	/* the document's own material item the first
				   change judged by it falls under, verbatim,
				   or NULL (judged by the default) */
	int32_t announced;	/* the date a banner on the page announces for
				   coming terms, DATE_NONE when there is none */
	struct judge_change *v;
	size_t n;
};

int judge_compare(const char *old_md, size_t oldlen, const char *new_md,
    size_t newlen, const struct judge_opts *o, struct judge_result *out);
/* The same on documents already split and analysed (by clause_split and
 * rules_analyze); changed says whether the normalised texts differ. */
struct clause_list;
struct rules;
int judge_compare_parsed(const struct clause_list *old_cl,
    const struct rules *old_rules, const struct clause_list *new_cl,
    const struct rules *new_rules, int changed, const struct judge_opts *o,
    struct judge_result *out);
void judge_result_free(struct judge_result *r);
void judge_json(const struct judge_result *r, struct strbuf *out);
void judge_text(const struct judge_result *r, struct strbuf *out);
const char *judge_category_name(int c);
const char *judge_kind_name(enum judge_kind k);	/* "added", ... */
/* Every change editorial (no deadline for people, "editorial" in subjects). */
int judge_editorial_only(const struct judge_result *r);
int judge_category_parse(const char *name);	/* -1 if unknown */
void judge_categories_format(unsigned cats, struct strbuf *out);	/* "a, b" */
/* "2026-12-22" | "immediate" | "none"; "none" also when every change is
 * editorial (the JSON keeps the contract's deadline regardless). */
void judge_deadline_format(const struct judge_result *r, char out[11]);

#endif
