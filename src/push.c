/* push: the store's refs to a git remote. See push.h for what and why. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2.h>

#include "push.h"
#include "util.h"

#define TOKEN_CAP 4096	/* a token file is one short line */
#define MAX_REFS 64	/* main, snapshots, notes and a few of our own */

/* The refs a copy of the store needs; refs/clausewatch/... added by glob. */
static const char *const fixed_refs[] = {
	"refs/heads/main", "refs/heads/snapshots", "refs/notes/commits",
};

struct local_ref {
	char *name;
	git_oid oid;
};

struct session {
	const char *url;
	const struct push_auth *auth;
	int tried_agent, tried_key, tried_token, tried_user;
	char *auth_error;	/* why no credential was given */
	struct strbuf rejected;	/* "ref (reason), ..." from the remote */
};

/* libgit2 1.5 built with mbedTLS (Debian 12) parses its whole CA bundle in
 * git_libgit2_init (220 KB of PEM: about a quarter of a run --only), for
 * every command, though only a push over https verifies a certificate.
 * This definition comes before mbedTLS's for libgit2 (an executable's
 * symbols are looked up first): while push_git_init runs it notes the file
 * and parses nothing; afterwards it is mbedTLS's, so push_store loads the
 * noted file (GIT_OPT_SET_SSL_CERT_LOCATIONS) before an https push. Built
 * with OpenSSL, libgit2 never calls it and loads its certificates itself. */
static int deferring;
static char deferred[4096];	/* the bundle libgit2 asked for at start-up */
static int deferred_loaded;

struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);

int
mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	int (*parse)(struct mbedtls_x509_crt *, const char *);

	if (deferring && path && snprintf(deferred, sizeof(deferred), "%s", path) <
	    (int)sizeof(deferred))
		return 0;	/* an empty chain until push_store loads it */
	*(void **)&parse = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
	return parse ? parse(chain, path) : -1;
}

void
push_git_init(void)
{
	deferring = 1;
	git_libgit2_init();
	deferring = 0;
}

/* The CA bundle push_git_init left unparsed, once, before an https push. */
static int
load_deferred_certs(const char *url)
{
	if (!deferred[0] || deferred_loaded || strncasecmp(url, "https:", 6))
		return 0;
	if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, deferred, NULL) < 0) {
		const git_error *e = git_error_last();

		util_seterr("push %s: %s", url, e && e->message ? e->message :
		    "the CA certificates could not be loaded");
		return -1;
	}
	deferred_loaded = 1;
	return 0;
}

static int
auth_fail(struct session *s, const char *why)
{
	free(s->auth_error);
	s->auth_error = xstrdup(why);
	return GIT_EAUTH;
}

/* The token file's first line, for https. */
static int
token_credential(git_credential **out, struct session *s, const char *user)
{
	struct strbuf tok = STRBUF_INIT;
	char *nl;
	int rc;

	if (util_read_file(s->auth->token_file, TOKEN_CAP, &tok) < 0)
		return auth_fail(s, util_err());
	if ((nl = strpbrk(tok.buf, "\r\n")))
		strbuf_setlen(&tok, (size_t)(nl - tok.buf));
	strbuf_trim(&tok);
	if (!tok.len) {
		strbuf_release(&tok);
		return auth_fail(s, "the token file is empty");
	}
	rc = git_credential_userpass_plaintext_new(out, user, tok.buf);
	/* the secret does not outlive its use in our memory */
	memset(tok.buf, 0, tok.len);
	strbuf_release(&tok);
	return rc;
}

/* libgit2 asks again after each refused credential: each source is offered
 * once, then the push fails with what was tried. */
static int
credentials(git_credential **out, const char *url, const char *user_from_url,
    unsigned int allowed, void *payload)
{
	struct session *s = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : s->auth->user;
	int ssh = (allowed & (GIT_CREDENTIAL_SSH_KEY | GIT_CREDENTIAL_USERNAME)) != 0;

	if (!user)
		user = ssh ? "git" : "token";
	if ((allowed & GIT_CREDENTIAL_USERNAME) && !s->tried_user++)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		const char *sock = getenv("SSH_AUTH_SOCK");

		if (!s->tried_agent && sock && *sock) {
			s->tried_agent = 1;
			return git_credential_ssh_key_from_agent(out, user);
		}
		if (!s->tried_key && s->auth->ssh_key) {
			struct strbuf pub = STRBUF_INIT;
			int rc;

			s->tried_key = 1;
			strbuf_addf(&pub, "%s.pub", s->auth->ssh_key);
			rc = git_credential_ssh_key_new(out, user,
			    access(pub.buf, R_OK) == 0 ? pub.buf : NULL, s->auth->ssh_key, NULL);
			strbuf_release(&pub);
			return rc;
		}
		return auth_fail(s, s->tried_agent || s->tried_key ?
		    "the ssh agent's keys and ssh-key were refused" :
		    "no ssh agent (SSH_AUTH_SOCK) and no [store] ssh-key");
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		if (!s->auth->token_file)
			return auth_fail(s, "the remote asks for a login: set [store] token-file");
		if (s->tried_token++)
			return auth_fail(s, "the token in [store] token-file was refused");
		return token_credential(out, s, user);
	}
	return auth_fail(s, "the remote asks for a kind of login clausewatch has not");
}

static int
update_reference(const char *refname, const char *status, void *payload)
{
	struct session *s = payload;

	if (status)
		strbuf_addf(&s->rejected, "%s%s (%s)", s->rejected.len ? ", " : "",
		    refname, status);
	return 0;
}

static void
local_refs_free(struct local_ref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static void
add_ref(git_repository *repo, const char *name, struct local_ref **v, size_t *n,
    size_t *alloc)
{
	git_oid oid;

	if (*n >= MAX_REFS || git_reference_name_to_id(&oid, repo, name) < 0)
		return;	/* not there yet (no notes before the first ack) */
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].name = xstrdup(name);
	(*v)[(*n)++].oid = oid;
}

static void
local_refs(git_repository *repo, struct local_ref **v, size_t *n)
{
	git_reference_iterator *it = NULL;
	const char *name;
	size_t i, alloc = 0;

	*v = NULL;
	*n = 0;
	for (i = 0; i < sizeof(fixed_refs) / sizeof(fixed_refs[0]); i++)
		add_ref(repo, fixed_refs[i], v, n, &alloc);
	if (git_reference_iterator_glob_new(&it, repo, "refs/clausewatch/*") < 0)
		return;
	while (git_reference_next_name(&name, it) == 0)
		add_ref(repo, name, v, n, &alloc);
	git_reference_iterator_free(it);
}

static const git_oid *
remote_oid(const git_remote_head **heads, size_t nheads, const char *name)
{
	size_t i;

	for (i = 0; i < nheads; i++)
		if (!strcmp(heads[i]->name, name))
			return &heads[i]->oid;
	return NULL;
}

/* The refspecs worth pushing: new on the remote, or a fast-forward of
 * what it has. A ref the remote moved past us is named in res->moved. */
static void
plan(git_repository *repo, git_remote *remote, const struct local_ref *v, size_t n,
    git_strarray *specs, struct push_result *res)
{
	const git_remote_head **heads = NULL;
	size_t nheads = 0, i;

	if (git_remote_ls(&heads, &nheads, remote) < 0)
		nheads = 0;
	specs->strings = xcalloc(n ? n : 1, sizeof(char *));
	specs->count = 0;
	for (i = 0; i < n; i++) {
		const git_oid *theirs = remote_oid(heads, nheads, v[i].name);
		struct strbuf spec = STRBUF_INIT;

		if (theirs && git_oid_equal(theirs, &v[i].oid)) {
			res->current++;
			continue;
		}
		/* theirs unknown here, or not an ancestor of ours: someone else
		 * wrote it; a push would need force, which we never use */
		if (theirs && !git_oid_is_zero(theirs) &&
		    git_graph_descendant_of(repo, &v[i].oid, theirs) != 1) {
			strbuf_addf(&res->moved, "%s%s", res->moved.len ? ", " : "", v[i].name);
			continue;
		}
		strbuf_addf(&spec, "%s:%s", v[i].name, v[i].name);
		specs->strings[specs->count++] = strbuf_detach(&spec, NULL);
	}
}

static int
git_fail(const char *url, const char *what, struct session *s)
{
	const git_error *e = git_error_last();

	if (s->auth_error)
		util_seterr("push %s: %s: %s", url, what, s->auth_error);
	else
		util_seterr("push %s: %s: %s", url, what, e && e->message ? e->message : "failed");
	return -1;
}

int
push_store(const char *path, const char *url, const struct push_auth *auth,
    struct push_result *res)
{
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	git_remote_callbacks cb;
	git_push_options po;
	git_remote_create_options ro;
	git_strarray specs = { NULL, 0 };
	struct local_ref *refs = NULL;
	struct session s = { 0 };
	size_t nrefs = 0;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->moved, 0);
	strbuf_init(&s.rejected, 0);
	s.url = url;
	s.auth = auth;
	if (load_deferred_certs(url) < 0)
		goto cleanup;
	if (git_repository_open(&repo, path) < 0) {
		git_fail(url, "store", &s);
		goto cleanup;
	}
	local_refs(repo, &refs, &nrefs);
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb.credentials = credentials;
	cb.push_update_reference = update_reference;
	cb.payload = &s;
	/* insteadOf rewriting is skipped: the URL is the watchlist's, and
	 * libgit2 1.5 leaks while matching config names against it */
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &ro) < 0 ||
	    git_remote_connect(remote, GIT_DIRECTION_PUSH, &cb, NULL, NULL) < 0) {
		git_fail(url, "connect", &s);
		goto cleanup;
	}
	plan(repo, remote, refs, nrefs, &specs, res);
	if (specs.count) {
		git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
		po.callbacks = cb;
		if (git_remote_upload(remote, &specs, &po) < 0) {
			git_fail(url, "upload", &s);
			goto cleanup;
		}
	}
	if (s.rejected.len) {
		util_seterr("push %s: the remote refused %s; kept here, tried again next run",
		    url, s.rejected.buf);
		goto cleanup;
	}
	res->pushed = specs.count;
	if (res->moved.len) {
		util_seterr("push %s: the remote has commits this store has not on %s "
		    "(someone else pushed there?): not overwritten", url, res->moved.buf);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (remote)
		git_remote_disconnect(remote);
	git_remote_free(remote);
	while (specs.count)
		free(specs.strings[--specs.count]);
	free(specs.strings);
	local_refs_free(refs, nrefs);
	git_repository_free(repo);
	free(s.auth_error);
	strbuf_release(&s.rejected);
	return rc;
}

void
push_result_release(struct push_result *res)
{
	strbuf_release(&res->moved);
}
