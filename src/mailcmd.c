/* mailcmd: "clausewatch mail" lists the messages the ledger has not sent
 * and releases an uncertain one (see ledger.h: a crash during the SMTP
 * hand-off leaves a message the server may or may not have; only an
 * operator can say whether to send it again). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger.h"
#include "mailcmd.h"
#include "strbuf.h"
#include "util.h"

/* One tab-separated field on one line, whatever a server replied. */
static void
field(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		strbuf_addch(out, c < 0x20 || c == 0x7f ? ' ' : c);
	}
}

int
cli_mail(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "release", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger *l = NULL;
	struct ledger_item *v = NULL;
	struct strbuf p = STRBUF_INIT, line = STRBUF_INIT;
	struct stat sb;
	const char *release = NULL;
	size_t n = 0, i;
	int ch, rc = 2;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			goto usage;
		release = optarg;
	}
	if (optind < argc)
		goto usage;
	/* a store that never queued mail has nothing to list: do not create
	 * one (ledger_open would) */
	strbuf_addf(&p, "%s/ledger", c->store);
	if (stat(p.buf, &sb) < 0) {
		if (!release) {
			rc = 0;
			goto cleanup;
		}
		fprintf(stderr, "clausewatch: mail: no message with key %s\n", release);
		goto cleanup;
	}
	/* listing reads; only a release changes the ledger and waits its turn */
	if ((release ? ledger_open(&l, c->store) : ledger_open_readonly(&l, c->store)) < 0) {
		fprintf(stderr, "clausewatch: mail: %s\n", util_err());
		goto cleanup;
	}
	if (release) {
		if (ledger_release(l, release) < 0) {
			fprintf(stderr, "clausewatch: mail: %s\n", util_err());
			goto cleanup;
		}
		printf("%s released: the next run sends it again (same Message-ID)\n",
		    release);
		if (*ledger_last_error(l))
			fprintf(stderr, "clausewatch: mail: %s\n", ledger_last_error(l));
		rc = 0;
		goto cleanup;
	}
	if (ledger_list(l, &v, &n) < 0) {
		fprintf(stderr, "clausewatch: mail: %s\n", util_err());
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(&line);
		field(&line, v[i].key);
		strbuf_addf(&line, "\t%s\t%ld\t", ledger_state_name(v[i].state), v[i].tries);
		field(&line, v[i].response);
		puts(line.buf);
	}
	rc = 0;
cleanup:
	ledger_items_free(v, n);
	ledger_free(l);
	strbuf_release(&p);
	strbuf_release(&line);
	return rc;
usage:
	cli_usage("mail");
	return 2;
}
