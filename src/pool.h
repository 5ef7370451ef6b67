/* pool: a few worker threads that run tasks off a queue. Finished tasks
 * come back to the submitting thread in the order they finish; a byte on
 * pool_fd() says one did, so an event loop can wait on it with its own
 * sockets. Tasks must not touch what the submitting thread changes while
 * they run. */
#ifndef CW_POOL_H
#define CW_POOL_H
#include <stddef.h>

struct pool;
typedef void (*pool_fn)(void *task);

/* workers < 1: one per online CPU. */
int pool_new(int workers, struct pool **out);
/* Run fn(task) on a worker. */
void pool_submit(struct pool *p, pool_fn fn, void *task);
/* A finished task, or NULL: none finished yet (wait = 0), or none
 * outstanding (wait = 1 returns NULL only then). */
void *pool_done(struct pool *p, int wait);
/* Tasks submitted and not yet returned by pool_done. */
size_t pool_outstanding(const struct pool *p);
int pool_workers(const struct pool *p);
/* Readable when a task finished (pool_done drains it). */
int pool_fd(const struct pool *p);
/* Waits for the running tasks; finished ones not taken are dropped. */
void pool_free(struct pool *p);

#endif
