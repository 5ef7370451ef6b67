/* push's start-up of libgit2 (the CA bundle left for an https push). The
 * pushes themselves are end-to-end tests (tests/e2e/test_push.py). */
#include <criterion/criterion.h>
#include <git2.h>
#include <stdio.h>
#include <unistd.h>

#include "push.h"

/* Certificates named after start-up are parsed, not noted and skipped:
 * a file that is not there is an error, as it is without push_git_init. */
Test(push, certificates_after_start_up_are_parsed)
{
	char path[64];
	FILE *f;

	push_git_init();
	cr_assert_lt(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS,
	    "/nonexistent-cw/ca.pem", NULL), 0);
	snprintf(path, sizeof(path), "/tmp/cw-push-%d.pem", (int)getpid());
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
	    "-----END CERTIFICATE-----\n", f);
	fclose(f);
	cr_expect_lt(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, path, NULL), 0);
	remove(path);
	git_libgit2_shutdown();
}
