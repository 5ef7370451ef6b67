/* edit: what one edit to a clause does. The two versions of a clause are
 * word-diffed on content units (tokens, a date as one unit), and each hunk,
 * or a clause added or removed whole, gets one class: editorial (no meaning
 * changed), descriptive (substantive words that bind nobody) or operative
 * (what someone must, may or gets). judge turns the lead class into a
 * verdict; src/lexicon.c holds the word lists. */
#ifndef CW_EDIT_H
#define CW_EDIT_H
#include <stddef.h>
#include "clause.h"
#include "strbuf.h"

/* The class of one edit. Editorial classes change no meaning; what is
 * left is operative when it touches what someone must, may or gets (a
 * modal or negation, a quantity, a condition, an item of a list, the
 * terms of a binding sentence), else descriptive: substantive words that
 * explain and bind nobody. Each class is one named rule. */
enum edit_class {
	EDIT_NONE,
	EDIT_TYPO, EDIT_ORTHO, EDIT_LINK, EDIT_FUNCTION, EDIT_DATE, EDIT_CROSSREF, EDIT_CONTACT,
	EDIT_EXAMPLE, EDIT_RENAME, EDIT_MOVED, EDIT_CHROME, EDIT_ANNOUNCE, EDIT_HEADING,
	EDIT_DESCRIPTIVE,
	EDIT_MODAL, EDIT_QUANTITY, EDIT_CONDITION, EDIT_PARTY, EDIT_ITEM, EDIT_TERMS,
	EDIT_PROVISION
};
#define EDIT_FIRST_OPERATIVE EDIT_MODAL

/* "typo fix", "a quantity", ...: what reasons call the class. */
const char *edit_class_name(enum edit_class e);

/* A substitution made the same way throughout the document ("App Review
 * Guidelines" -> "App Store Review Guidelines" in every clause, the old
 * words gone from the new text): a consistent rename. judge finds them
 * over all modified clauses first; each hunk that is one of them is then
 * editorial, and what is left is judged. */
struct edit_rename {
	char *old, *new;
	size_t n;		/* hunks that make it */
};
struct edit_renames {
	struct edit_rename *v;
	size_t n, alloc;
};
/* Offer the small hunks of one modified clause (a became b). */
void edit_renames_collect(struct edit_renames *r, const char *at, size_t alen,
    const char *bt, size_t blen);
/* Keep those made at least twice whose old words the new text (b, blen)
 * no longer has. */
void edit_renames_settle(struct edit_renames *r, const char *b, size_t blen);
void edit_renames_free(struct edit_renames *r);

/* The whole text of each version, where moved text is looked for, and
 * the document's consistent renames (may be NULL). */
struct edit_texts {
	const char *a, *b;
	size_t alen, blen;
	const struct edit_renames *renames;
};

/* What one clause change is about. */
struct edit_verdict {
	int editorial;
	unsigned cats;
	unsigned core;		/* what changed: categories of the changed
				   words (else of their sentences, data types
				   aside: a sentence names its data anyway) */
	int contact_only;
	int operative;		/* changes what someone must, may or gets */
	enum edit_class cls;	/* the lead edit's class */
	struct strbuf why;	/* "substantive: ..." or "editorial: ..." */
	struct strbuf ctx;	/* changed words, sentences and heading: what
				   the document's own items are matched on */
};

/* A clause modified: text a (at/alen) became b; heading is the clause's
 * heading path, w each version's whole text. v is zeroed by the caller
 * (why and ctx initialised); it gets the class, the categories and a
 * reason. */
void edit_modified(const char *at, size_t alen, const char *bt, size_t blen,
    const char *heading, const struct edit_texts *w, struct edit_verdict *v);
/* Clause idx of cl added (added = 1) or removed as a whole; other is the
 * whole text of the other version. */
void edit_whole(const struct clause_list *cl, size_t idx, const char *t,
    size_t len, int added, const char *other, size_t olen,
    struct edit_verdict *v);

#endif
