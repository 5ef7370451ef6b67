/* ota: Open Terms Archive declarations (JSON, read with jansson) ->
 * watchlist entries in git-config syntax (see clausewatch.conf(5)).
 *
 * A declaration is { "name": "Service", "terms": { "Document Type": {
 * "fetch": URL, "select": SEL, "remove": SEL, ... } } } where SEL is a CSS
 * selector, a range object { startBefore|startAfter, endBefore|endAfter },
 * or an array of those.  Each document becomes
 *     [document "service/document-type"]
 *         url = URL
 *         title = Service Document Type
 *         select = ...        (one per selector; ranges as range(...))
 *         remove = ...
 * What clausewatch cannot do (custom JS filters, executeClientScripts,
 * documents combined from several pages, unknown keys, selectors its CSS
 * translator does not take) is never dropped silently: one note per item
 * ("import-ota Service/Type: custom filters [a, b] not supported, dropped")
 * and a "# unsupported: ..." comment above the entry. */
#ifndef CW_OTA_H
#define CW_OTA_H
#include <stddef.h>
#include <time.h>
#include "strbuf.h"

struct cli;

/* One import session: ids already written, so that two declarations
 * mapping to the same id are caught. */
struct ota {
	char **ids;
	size_t nids;
};

void ota_init(struct ota *o);
void ota_free(struct ota *o);

enum {
	OTA_OK = 0,		/* everything carried over */
	OTA_PARTIAL = 1,	/* something was not: notes say what */
	OTA_SKIPPED = 2,	/* a *.history.json (past versions): notes say so */
};

/* The declaration at path -> entries appended to out, and one line per
 * thing not carried over appended to notes.  Returns an OTA_* value, or
 * -1 with util_err set ("FILE:LINE:COLUMN: why" for bad JSON) when the file
 * cannot be read or is not a declaration; out and notes are then left as
 * they were. */
int ota_import_file(struct ota *o, const char *path, struct strbuf *out,
    struct strbuf *notes);

/* One document of a declaration as clausewatch watches it: the one
 * reading of a declaration, shared by import-ota and replay. */
struct ota_doc {
	char *id;		/* "service/document-type" (ota_id_part of each) */
	char *url;		/* the page fetched (the first, when several) */
	char **select;		/* CSS selectors and range(...), as the normaliser takes */
	size_t nselect;
	char **remove;
	size_t nremove;
	int dropped;		/* a selector was not supported and dropped */
	time_t valid_until;	/* a past declaration's end (exclusive); 0 = current */
};
void ota_doc_release(struct ota_doc *od);
void ota_docs_free(struct ota_doc *v, size_t n);

/* The declarations of document type `type` of the service whose files are
 * DIR/FILE.json (the current one) and DIR/FILE.history.json (earlier ones,
 * each valid until its validUntil), oldest first, the current one last.
 * Notes get a line per thing not carried over (as import-ota's). -1 with
 * util_err when a file cannot be read, has no such type, or a declaration
 * cannot be watched. */
int ota_read_doc(const char *dir, const char *file, const char *type,
    struct ota_doc **v, size_t *n, struct strbuf *notes);

/* A watchlist id part from a name: lower-case, blanks -> '-', Latin
 * letters with accents -> ASCII, anything else outside [a-z0-9._-]
 * dropped.  "" when nothing is left. */
void ota_id_part(const char *name, struct strbuf *out);

/* s as a git-config value: quoted when it holds '"', '\\', '#', ';' or
 * control characters, or starts or ends with a blank. */
void ota_config_value(const char *s, struct strbuf *out);

/* clausewatch import-ota DECLARATION.json... : entries on stdout, notes
 * on stderr; exit 0, 1 (something not carried over), 2 (bad file: nothing
 * written). */
int cli_import_ota(struct cli *c, int argc, char **argv);

#endif
