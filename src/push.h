/* push: the store's refs to a git remote ([store] push), after each run,
 * through libgit2's remote API (https, ssh, git, file).
 *
 * Pushed: main, snapshots, the notes (acknowledgements) and clausewatch's
 * own refs (refs/clausewatch/...), so that a copy of the remote is a store the
 * next run can continue from. Never forced: a ref the remote has moved past
 * what this store has (someone else pushed) is reported and left alone; the
 * other refs are still pushed. A failed push loses nothing: the store keeps
 * everything and the next run pushes again. */
#ifndef CW_PUSH_H
#define CW_PUSH_H
#include <stddef.h>
#include "strbuf.h"

struct push_auth {
	const char *user;	/* when the URL names none: https "token", ssh "git" */
	const char *token_file;	/* https: its first line is the password */
	const char *ssh_key;	/* ssh: private key; the agent is tried first */
};

struct push_result {
	size_t pushed;		/* refs updated on the remote */
	size_t current;		/* refs the remote already had */
	struct strbuf moved;	/* "ref, ref": refs the remote moved on */
};

/* Push the store at path to url. 0 when every ref is pushed or current;
 * -1 with util_err ("push URL: ...") when the remote could not be reached,
 * refused, or moved on (res->moved names those refs). res is filled in
 * both cases; push_result_release frees it. */
int push_store(const char *path, const char *url, const struct push_auth *auth,
    struct push_result *res);
void push_result_release(struct push_result *res);
/* git_libgit2_init, without parsing the CA bundle when libgit2 uses mbedTLS:
 * push_store loads it when it pushes over https (see push.c). */
void push_git_init(void);

#endif
