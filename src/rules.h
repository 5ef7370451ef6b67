/* rules: what a document says about its own changes (analyze). Every
 * finding keeps the clause label and the verbatim sentence behind it. */
#ifndef CW_RULES_H
#define CW_RULES_H
#include <stddef.h>
#include <stdint.h>
#include "clause.h"
#include "strbuf.h"

enum rules_scope { RULES_SCOPE_UNKNOWN, RULES_SCOPE_MATERIAL, RULES_SCOPE_ALL };

enum {
	RULES_M_EMAIL = 1 << 0,
	RULES_M_WEBSITE = 1 << 1,
	RULES_M_INAPP = 1 << 2,
	RULES_M_SMS = 1 << 3,
	RULES_M_LETTER = 1 << 4,
};

struct rules_rule {
	char *clause;	/* label */
	char *kind;	/* "effective-date", "notice", "deemed-acceptance",
			   "material-definition", "fee-change", "objection", ... */
	char *text;	/* the verbatim sentence */
};

struct rules {
	char *title;		/* or NULL */
	const char *language;	/* "en" | "zh" (static) */
	size_t nclauses;
	int32_t effective;	/* day number, DATE_NONE when not found */
	int32_t updated;
	int notice_days;	/* -1 when not promised */
	int before_effect;
	enum rules_scope scope;
	unsigned methods;	/* RULES_M_* */
	int deemed_acceptance;
	char **material;	/* the document's own material-change items, verbatim */
	size_t nmaterial;
	char *material_clause;	/* label of the clause defining them, or NULL */
	char *objection;	/* how to object (e.g. "written notice"), verbatim, or NULL */
	struct rules_rule *rule;
	size_t nrule;
};

int rules_analyze(const struct clause_list *cl, struct rules *out);
void rules_free(struct rules *r);
void rules_json(const struct rules *r, struct strbuf *out);	/* contracts shape */
void rules_text(const struct rules *r, struct strbuf *out);	/* for people */
/* The first date written in s ("1 March 2027", "2027年3月1日"), or DATE_NONE. */
int32_t rules_first_date(const char *s, size_t n);

#endif
