/* The worker pool: every task runs once on a worker and comes back once,
 * the wake-up fd says so, and each thread keeps its own error message. */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pool.h"
#include "util.h"

struct task {
	int n;
	int runs;
	pthread_t thread;
	char err[64];
};

static void
work(void *arg)
{
	struct task *t = arg;

	t->runs++;
	t->thread = pthread_self();
	util_seterr("task %d failed", t->n);
	snprintf(t->err, sizeof(t->err), "%s", util_err());
}

Test(pool, every_task_once_with_its_own_error)
{
	enum { N = 500 };
	static struct task tasks[N];
	struct pool *p;
	struct task *t;
	struct pollfd pfd;
	size_t got = 0;
	int i, seen[N] = { 0 }, off_main = 0;

	cr_assert_eq(pool_new(0, &p), 0, "%s", util_err());
	cr_assert_geq(pool_workers(p), 1);
	util_seterr("the main thread's error");
	for (i = 0; i < N; i++) {
		tasks[i].n = i;
		pool_submit(p, work, &tasks[i]);
	}
	cr_assert_eq(pool_outstanding(p), N);
	pfd.fd = pool_fd(p);
	pfd.events = POLLIN;
	cr_assert_eq(poll(&pfd, 1, 10000), 1);	/* one finished: the fd says so */
	while ((t = pool_done(p, 1))) {
		cr_assert_eq(seen[t->n]++, 0);
		got++;
	}
	cr_assert_eq(got, N);
	cr_assert_eq(pool_outstanding(p), 0);
	cr_assert_null(pool_done(p, 0));
	for (i = 0; i < N; i++) {
		char want[64];

		snprintf(want, sizeof(want), "task %d failed", i);
		cr_assert_eq(tasks[i].runs, 1);
		cr_assert_str_eq(tasks[i].err, want);
		off_main += !pthread_equal(tasks[i].thread, pthread_self());
	}
	cr_assert_eq(off_main, N);
	cr_assert_str_eq(util_err(), "the main thread's error");
	pool_free(p);
}

Test(pool, free_waits_for_running_tasks)
{
	static struct task tasks[50];
	struct pool *p;
	int i;

	cr_assert_eq(pool_new(2, &p), 0);
	cr_assert_eq(pool_workers(p), 2);
	for (i = 0; i < 50; i++)
		pool_submit(p, work, &tasks[i]);
	pool_free(p);		/* results not taken: dropped, tasks all ran */
	for (i = 0; i < 50; i++)
		cr_assert_eq(tasks[i].runs, 1);
}
