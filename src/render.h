/* render: a page whose text only exists after JavaScript ran, fetched
 * through a headless browser (Debian's chromium) that prints the DOM.
 * The browser runs as an argument vector (posix_spawn, never a shell), the
 * URL one argument after "--", in its own process group with its own
 * throw-away profile; its output is capped, its time limited (the whole
 * group is killed).  Many run at once: the caller polls render_fds()
 * (fetch.c does, beside its transfers). */
#ifndef CW_RENDER_H
#define CW_RENDER_H
#include <stddef.h>
#include "strbuf.h"

/* The browser to run: $CLAUSEWATCH_CHROMIUM (a path, or a name looked up
 * in PATH), else chromium or chromium-browser in PATH.  0 with *path set
 * (caller frees); -1 with util_err set ("chromium is not installed ...")
 * when there is none. */
int render_find(char **path);

struct render_proc;

/* Starts browser on url; the DOM will go to out (out's cap is the size
 * cap), killed after timeout seconds.  -1 with util_err set. */
int render_start(const char *browser, const char *url, long timeout,
    struct strbuf *out, struct render_proc **pp);
/* The descriptors to poll for reading (n is at most 2). */
size_t render_fds(const struct render_proc *p, int *fds);
/* Milliseconds until the next time render_step should run even when no
 * descriptor is ready (a child that exited, a timeout): -1 for none. */
long render_wait_ms(const struct render_proc *p);
/* Reads what the browser wrote, reaps it when it exited, enforces the
 * time and size caps: 1 when it is over (then render_end), else 0. */
int render_step(struct render_proc *p);
/* Ends it (killing the group if it still runs), removes its profile and
 * frees p: 0 when the browser exited 0 with output within the caps, else
 * -1 with util_err set ("chromium timed out after 60 s", ...). */
int render_end(struct render_proc *p);

/* Below this many bytes of text, a page that runs scripts is taken for
 * the empty shell of a single-page application. */
#define RENDER_TINY 512

/* Whether an HTML page carries scripts that could be what fills it: a
 * <script src> or inline code of some size (JSON data blocks aside).  Used
 * with a tiny selection to say "set render = chromium". */
int render_scripted(const char *html, size_t len);

#endif
