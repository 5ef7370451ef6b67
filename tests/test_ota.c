#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ota.h"
#include "util.h"
#include "watchlist.h"
#include "testutil.h"

static char dir[] = "/tmp/cw-ota-XXXXXX";
static struct ota o;
static struct strbuf out, notes;

static void
setup(void)
{
	strcpy(dir, "/tmp/cw-ota-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	ota_init(&o);
	strbuf_init(&out, 0);
	strbuf_init(&notes, 0);
}

static void
teardown(void)
{
	char cmd[64];

	ota_free(&o);
	strbuf_release(&out);
	strbuf_release(&notes);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(ota, .init = setup, .fini = teardown);

/* Write a declaration into the scratch folder; returns its path (static). */
static const char *
put(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

/* A made-up developer platform: one page with a string selector, one with
 * an array, a range object, and removals. */
static const char acme[] =
    "{\n"
    "  \"name\": \"Acme Cloud\",\n"
    "  \"terms\": {\n"
    "    \"Developer Terms\": {\n"
    "      \"fetch\": \"https://acme.example/legal/developers\",\n"
    "      \"select\": [\"#terms\", \"[data-part=\\\"api\\\"]\"],\n"
    "      \"remove\": [\".share-links\", \"aside.feedback\"]\n"
    "    },\n"
    "    \"Privacy Policy\": {\n"
    "      \"fetch\": \"https://acme.example/privacy\",\n"
    "      \"select\": { \"startBefore\": \"h1\", \"endBefore\": \"#related\" },\n"
    "      \"remove\": \"details\"\n"
    "    },\n"
    "    \"Data Processing Addendum\": {\n"
    "      \"fetch\": \"https://acme.example/dpa\",\n"
    "      \"select\": [\"main\", { \"startAfter\": \"#annex\" }]\n"
    "    }\n"
    "  }\n"
    "}\n";

Test(ota, selectors_arrays_and_ranges)
{
	const char *p = put("Acme Cloud.json", acme);

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_OK, "%s",
	    util_err());
	cr_expect_str_eq(notes.buf, "");
	cr_expect(strstr(out.buf,
	    "[document \"acme-cloud/developer-terms\"]\n"
	    "\turl = https://acme.example/legal/developers\n"
	    "\ttitle = Acme Cloud Developer Terms\n"
	    "\tselect = \"#terms\"\n"
	    "\tselect = \"[data-part=\\\"api\\\"]\"\n"
	    "\tremove = .share-links\n"
	    "\tremove = aside.feedback\n") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf,
	    "[document \"acme-cloud/privacy-policy\"]\n"
	    "\turl = https://acme.example/privacy\n"
	    "\ttitle = Acme Cloud Privacy Policy\n"
	    "\tselect = \"range(startBefore: h1; endBefore: #related)\"\n"
	    "\tremove = details\n") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf,
	    "\tselect = main\n"
	    "\tselect = \"range(startAfter: #annex)\"\n") != NULL, "%s", out.buf);
	cr_expect_null(strstr(out.buf, "unsupported"));
}

/* What was written reads back through the real loader, values intact. */
Test(ota, output_loads_as_a_watchlist)
{
	const char *p = put("Acme Cloud.json", acme);
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	const struct watchlist_doc *d;
	char wdir[300];
	FILE *f;

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_OK);
	snprintf(wdir, sizeof(wdir), "%s/wl", dir);
	cr_assert_eq(util_mkdirs(wdir, 0755), 0);
	p = put("wl/acme.conf", out.buf);
	/* imported entries name no team: the watchlist's default team tells */
	put("wl/teams.conf", "[mail]\n\tdefault-team = legal\n[team \"legal\"]\n"
	    "\temail = legal@example.com\n");
	cr_assert_eq(watchlist_load(wdir, &wl, &err), 0, "%s", err.buf);
	cr_expect_eq(wl.ndoc, 3);
	for (size_t i = 0; i < wl.ndoc; i++)
		cr_expect_eq(watchlist_check_selectors(&wl.doc[i], &err), 0, "%s", err.buf);
	d = watchlist_doc(&wl, "acme-cloud/developer-terms");
	cr_assert_not_null(d);
	cr_assert_eq(d->nselect, 2);
	cr_expect_str_eq(d->select[0], "#terms");
	cr_expect_str_eq(d->select[1], "[data-part=\"api\"]");
	cr_expect_str_eq(d->title, "Acme Cloud Developer Terms");
	d = watchlist_doc(&wl, "acme-cloud/privacy-policy");
	cr_assert_not_null(d);
	cr_assert_eq(d->nselect, 1);
	cr_expect_str_eq(d->select[0],
	    "range(startBefore: h1; endBefore: #related)");
	watchlist_free(&wl);
	strbuf_release(&err);
	(void)f;
}

Test(ota, custom_filters_reported_and_document_kept)
{
	const char *p = put("Widgets.json",
	    "{ \"name\": \"Widgets\", \"terms\": { \"Terms of Service\": {\n"
	    "  \"fetch\": \"https://widgets.example/tos\",\n"
	    "  \"select\": \".legal\",\n"
	    "  \"filter\": [\"removeSideNotes\", { \"removeQueryParams\": "
	    "[\"ref\"] }],\n"
	    "  \"executeClientScripts\": true,\n"
	    "  \"waitFor\": \"#loaded\"\n"
	    "} } }\n");

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_PARTIAL);
	cr_expect(strstr(notes.buf, "import-ota Widgets/Terms of Service: "
	    "custom filters [removeSideNotes, removeQueryParams] not "
	    "supported, dropped\n") != NULL, "%s", notes.buf);
	cr_expect(strstr(notes.buf, "executeClientScripts not supported") !=
	    NULL, "%s", notes.buf);
	cr_expect(strstr(notes.buf, "key 'waitFor' not supported") != NULL,
	    "%s", notes.buf);
	/* the comments come right above the entry, which is still there */
	cr_expect(strstr(out.buf, "# unsupported: custom filters "
	    "[removeSideNotes, removeQueryParams] not supported, dropped\n"
	    "# unsupported: executeClientScripts") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf, "ignored\n[document \"widgets/"
	    "terms-of-service\"]\n\turl = https://widgets.example/tos\n") !=
	    NULL, "%s", out.buf);
}

Test(ota, combined_and_multi_page_documents_reported)
{
	const char *p = put("Multi.json",
	    "{ \"name\": \"Multi\", \"terms\": {\n"
	    "  \"Privacy Policy\": { \"combine\": [\n"
	    "    { \"fetch\": \"https://m.example/a\", \"select\": \"#a\" },\n"
	    "    { \"fetch\": \"https://m.example/b\", \"select\": \"#b\" }],\n"
	    "    \"remove\": \".ad\" },\n"
	    "  \"Terms of Service\": { \"fetch\": [\"https://m.example/t1\", "
	    "\"https://m.example/t2\"], \"select\": \"main\" }\n"
	    "} }\n");

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_PARTIAL);
	cr_expect(strstr(notes.buf, "Multi/Privacy Policy: combined from 2 "
	    "sources, only the first is watched; dropped: https://m.example/b")
	    != NULL, "%s", notes.buf);
	cr_expect(strstr(notes.buf, "Multi/Terms of Service: fetch of 2 "
	    "pages, only the first is watched; dropped: https://m.example/t2")
	    != NULL, "%s", notes.buf);
	cr_expect(strstr(out.buf, "\turl = https://m.example/a\n\ttitle = "
	    "Multi Privacy Policy\n\tselect = \"#a\"\n\tremove = .ad\n") !=
	    NULL, "%s", out.buf);
	cr_expect(strstr(out.buf, "\turl = https://m.example/t1\n") != NULL);
}

Test(ota, unsupported_selectors_dropped_with_a_note)
{
	const char *p = put("Sel.json",
	    "{ \"name\": \"Sel\", \"terms\": { \"Imprint\": {\n"
	    "  \"fetch\": \"https://s.example/imprint\",\n"
	    "  \"select\": [\"main\", \"a:hover\", 7,\n"
	    "    { \"startBefore\": \"h1\", \"endAfter\": \"h2\", "
	    "\"endBefore\": \"h3\" }]\n"
	    "} } }\n");

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_PARTIAL);
	cr_expect(strstr(notes.buf, "Sel/Imprint: select a:hover not "
	    "supported (") != NULL, "%s", notes.buf);
	cr_expect(strstr(notes.buf, "select 7 not supported (not a "
	    "selector), dropped") != NULL, "%s", notes.buf);
	cr_expect(strstr(notes.buf, "(a range with two ends)") != NULL, "%s",
	    notes.buf);
	cr_expect(strstr(out.buf, "\tselect = main\n") != NULL);
	cr_expect_null(strstr(out.buf, "\tselect = a:hover"));
}

Test(ota, bad_json_names_file_and_line)
{
	const char *p = put("Broken.json",
	    "{\n  \"name\": \"Broken\",\n  \"terms\": {\n"
	    "    \"Privacy Policy\": { \"fetch\": \"https://b.example\" \n"
	    "    \"select\": \"main\" }\n  }\n}\n");
	char want[300];

	strbuf_addstr(&out, "kept");
	cr_assert_eq(ota_import_file(&o, p, &out, &notes), -1);
	snprintf(want, sizeof(want), "%s:5:", p);
	cr_expect(strncmp(util_err(), want, strlen(want)) == 0, "%s",
	    util_err());
	cr_expect_str_eq(out.buf, "kept");
	cr_expect_eq(o.nids, 0);
	p = put("Other.json", "[1, 2]\n");
	cr_assert_eq(ota_import_file(&o, p, &out, &notes), -1);
	cr_expect(strstr(util_err(), "not an Open Terms Archive declaration")
	    != NULL, "%s", util_err());
	snprintf(want, sizeof(want), "%s/none.json", dir);
	cr_assert_eq(ota_import_file(&o, want, &out, &notes), -1);
	cr_expect(strstr(util_err(), "none.json") != NULL, "%s", util_err());
}

Test(ota, history_skipped_with_a_note)
{
	const char *p = put("Acme Cloud.history.json",
	    "{ \"Privacy Policy\": [ { \"fetch\": \"https://acme.example/p\", "
	    "\"select\": \"main\", \"validUntil\": \"2024-01-01T00:00:00Z\" } ] }");

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_SKIPPED);
	cr_expect_eq(out.len, 0);
	cr_expect(strstr(notes.buf, "skipped") != NULL, "%s", notes.buf);
}

Test(ota, same_id_twice_reported)
{
	const char *p = put("A.json", "{ \"name\": \"Foo Bar\", \"terms\": { "
	    "\"Privacy Policy\": { \"fetch\": \"https://a.example/\" } } }");

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_OK);
	p = put("B.json", "{ \"name\": \"foo  bar!\", \"terms\": { "
	    "\"Privacy policy\": { \"fetch\": \"https://b.example/\" } } }");
	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_PARTIAL);
	cr_expect(strstr(notes.buf, "foo  bar!/Privacy policy: id "
	    "'foo-bar/privacy-policy' already taken") != NULL, "%s",
	    notes.buf);
	cr_expect_null(strstr(out.buf, "https://b.example/"));
}

Test(ota, id_parts)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "npm Public Registry", "npm-public-registry" },
		{ "Terms of Service", "terms-of-service" },
		{ "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale", "societe-generale" },
		{ "Stra\xC3\x9F" "e & \xC5\x81\xC3\xB3" "d\xC5\xBA", "strasse-lodz" },
		{ "  Open -- Terms.  Archive. ", "open-terms.-archive" },
		{ "Children's Privacy (EU)", "childrens-privacy-eu" },
		{ "\xE5\xBE\xAE\xE4\xBF\xA1", "" },
		{ "../etc", "etc" },
		{ "Api_v2.0", "api_v2.0" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&sb);
		ota_id_part(cases[i].in, &sb);
		cr_expect_str_eq(sb.buf, cases[i].want, "%s", cases[i].in);
	}
	strbuf_release(&sb);
}

Test(ota, config_values_quoted_when_needed)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "main article", "main article" },
		{ "#terms", "\"#terms\"" },
		{ "a; b", "\"a; b\"" },
		{ "[as=\"main\"]", "\"[as=\\\"main\\\"]\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "two\nlines", "\"two\\nlines\"" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&sb);
		ota_config_value(cases[i].in, &sb);
		cr_expect_str_eq(sb.buf, cases[i].want, "%s", cases[i].in);
	}
	strbuf_release(&sb);
}

/* Open Terms Archive's real declarations (read at run time, never
 * copied): every one imports, and the only reports are about filters. */
Test(ota, shared_demo_declarations)
{
	static const char *const dirs[] = {
	    "../shared/realworld/demo-declarations",
	    "../../shared/realworld/demo-declarations" };
	const char *d = NULL;
	char path[512];
	size_t i;
	int r;

	for (i = 0; i < 2 && !d; i++)
		if (access(dirs[i], R_OK) == 0)
			d = dirs[i];
	if (!d)
		cr_skip("no ../shared/realworld/demo-declarations");
	snprintf(path, sizeof(path), "%s/npm Public Registry.json", d);
	r = ota_import_file(&o, path, &out, &notes);
	cr_assert_eq(r, OTA_OK, "%s %s", util_err(), notes.buf);
	cr_expect(strstr(out.buf, "[document \"npm-public-registry/"
	    "privacy-policy\"]\n") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf, "\tselect = \"range(startBefore: h1; "
	    "endBefore: #toc-heading)\"\n") != NULL, "%s", out.buf);
}

/* Keys and values of a declaration are outside text: none of them may add
 * a section or a key to the watchlist it becomes. */
Test(ota, hostile_declaration_cannot_inject_config)
{
	const char *p = put("Evil.json",
	    "{\n"
	    "  \"name\": \"Evil\",\n"
	    "  \"x\\n[smtp]\\n\\thost = attacker.example\\n[document \\\"evil/x\\\"]\\n"
	    "\\turl = file:///etc/passwd\\n#\": 1,\n"
	    "  \"terms\": {\n"
	    "    \"Terms\\n[mail]\\n\\tfrom = a@attacker.example\": {\n"
	    "      \"fetch\": \"https://evil.example/terms#x;y\",\n"
	    "      \"select\": \"main\"\n"
	    "    }\n"
	    "  }\n"
	    "}\n");
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	char wdir[300];

	cr_assert_eq(ota_import_file(&o, p, &out, &notes), OTA_PARTIAL);
	snprintf(wdir, sizeof(wdir), "%s/wl", dir);
	cr_assert_eq(util_mkdirs(wdir, 0755), 0);
	put("wl/evil.conf", out.buf);
	put("wl/teams.conf", "[mail]\n\tdefault-team = legal\n[team \"legal\"]\n"
	    "\temail = legal@example.com\n");
	cr_assert_eq(watchlist_load(wdir, &wl, &err), 0, "%s\n%s", err.buf, out.buf);
	cr_assert_null(wl.smtp.host, "%s", out.buf);
	cr_assert_null(wl.mail_from, "%s", out.buf);
	cr_assert_null(watchlist_doc(&wl, "evil/x"), "%s", out.buf);
	cr_assert_eq(wl.ndoc, 1, "%s", out.buf);
	cr_assert_str_eq(wl.doc[0].url, "https://evil.example/terms#x;y");
	cr_expect_eq(watchlist_check_selectors(&wl.doc[0], &err), 0, "%s", err.buf);
	watchlist_free(&wl);
	strbuf_release(&err);
}

/* replay's reading: the declaration in force over time, with import-ota's
 * ids and selector checks, past ones oldest first and the current one last. */
Test(ota, read_doc_with_history)
{
	struct ota_doc *v;
	size_t n;

	put("Acme Web.json", "{ \"name\": \"Acme Web\", \"terms\": { \"Terms of Service\": {"
	    " \"fetch\": \"https://acme.example/tos\", \"select\": [\"main\","
	    " { \"startBefore\": \"h1\", \"endBefore\": \"#footer\" }], \"remove\": \".ad\" },"
	    " \"Privacy Policy\": { \"fetch\": \"https://acme.example/p\","
	    " \"select\": \"div[\" } } }\n");
	put("Acme Web.history.json", "{ \"Terms of Service\": ["
	    " { \"fetch\": \"https://acme.example/tos2\", \"select\": \"#b\","
	    "   \"validUntil\": \"2025-06-01T00:00:00Z\" },"
	    " { \"fetch\": \"https://acme.example/tos1\", \"select\": \"#a\","
	    "   \"validUntil\": \"2024-01-01T00:00:00Z\" } ] }\n");
	cr_assert_eq(ota_read_doc(dir, "Acme Web", "Terms of Service", &v, &n, &notes), 0,
	    "%s", util_err());
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0].url, "https://acme.example/tos1");
	cr_assert_str_eq(v[0].select[0], "#a");
	cr_assert_eq(v[0].valid_until, 1704067200);
	cr_assert_str_eq(v[1].url, "https://acme.example/tos2");
	cr_assert_eq(v[2].valid_until, 0);
	cr_assert_str_eq(v[2].id, "acme-web/terms-of-service");
	cr_assert_eq(v[2].nselect, 2);
	cr_assert_str_eq(v[2].select[1], "range(startBefore: h1; endBefore: #footer)");
	cr_assert_eq(v[2].nremove, 1);
	cr_assert_str_eq(v[2].remove[0], ".ad");
	cr_assert(!v[2].dropped);
	ota_docs_free(v, n);
	/* a selector the translator refuses is dropped, and said so */
	cr_assert_eq(ota_read_doc(dir, "Acme Web", "Privacy Policy", &v, &n, &notes), 0);
	cr_assert_eq(n, 1);
	cr_assert(v[0].dropped);
	cr_assert_eq(v[0].nselect, 0);
	cr_assert(strstr(notes.buf, "div["), "%s", notes.buf);
	ota_docs_free(v, n);
	/* no such document, a bad history entry */
	cr_assert_eq(ota_read_doc(dir, "Acme Web", "Cookie Policy", &v, &n, &notes), -1);
	cr_assert(strstr(util_err(), "Cookie Policy"));
	cr_assert_null(v);
	put("Acme Web.history.json", "{ \"Terms of Service\": [ { \"fetch\": "
	    "\"https://acme.example/tos1\", \"select\": \"#a\" } ] }\n");
	cr_assert_eq(ota_read_doc(dir, "Acme Web", "Terms of Service", &v, &n, &notes), -1);
	cr_assert(strstr(util_err(), "bad history entry"), "%s", util_err());
}
