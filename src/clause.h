/* clause: split a normalised document into labelled clauses.
 * Labels are stable when text around a clause changes: they come from the
 * document's own numbering ("9.1", "三、", "(a)", "第十条") or, where there is
 * none (bullet outlines), from the heading path and position under it. */
#ifndef CW_CLAUSE_H
#define CW_CLAUSE_H
#include <stddef.h>

struct clause {
	char *label;	/* e.g. "9.1", "九、1", "Changes ¶2"; unique within the list */
	char *heading;	/* heading path, " > " separated; "" at top level */
	char *text;	/* verbatim text of this clause only (not its children) */
	int level;	/* nesting depth, 0 = top */
	size_t line;	/* first line in the document, 1-based */
};

struct clause_list {
	struct clause *v;
	size_t n;
	char *title;	/* first top-level heading, or NULL */
};

int clause_split(const char *md, size_t len, struct clause_list *out);
void clause_list_free(struct clause_list *cl);

#endif
