/* Two FIFOs under one mutex: work for the threads, results for the
 * submitter. The pipe is only a wake-up (non-blocking both ways: a full
 * pipe already says "look"). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"
#include "util.h"

struct node {
	pool_fn fn;
	void *task;
	struct node *next;
};

struct fifo {
	struct node *head, *tail;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done_cv;
	struct fifo todo, done;
	size_t outstanding;
	int stop;
	int nthread;
	pthread_t *thread;
	int pipefd[2];
};

static void
fifo_push(struct fifo *f, struct node *n)
{
	n->next = NULL;
	if (f->tail)
		f->tail->next = n;
	else
		f->head = n;
	f->tail = n;
}

static struct node *
fifo_pop(struct fifo *f)
{
	struct node *n = f->head;

	if (n && !(f->head = n->next))
		f->tail = NULL;
	return n;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct node *n;
	ssize_t w;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && !p->todo.head)
			pthread_cond_wait(&p->work, &p->mu);
		if (!(n = fifo_pop(&p->todo)))
			break;	/* stopping, nothing left */
		pthread_mutex_unlock(&p->mu);
		n->fn(n->task);
		pthread_mutex_lock(&p->mu);
		fifo_push(&p->done, n);
		pthread_cond_signal(&p->done_cv);
		do
			w = write(p->pipefd[1], "", 1);
		while (w < 0 && errno == EINTR);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
pool_new(int workers, struct pool **out)
{
	struct pool *p;
	long cpus;
	int i;

	if (workers < 1) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		workers = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
	}
	p = xcalloc(1, sizeof(*p));
	if (pipe2(p->pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		util_seterr("pool: pipe: %s", strerror(errno));
		free(p);
		return -1;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	p->thread = xcalloc((size_t)workers, sizeof(*p->thread));
	for (i = 0; i < workers; i++) {
		if (pthread_create(&p->thread[i], NULL, worker, p) != 0)
			break;
		p->nthread++;
	}
	if (!p->nthread) {
		util_seterr("pool: cannot start a thread");
		pool_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void
pool_submit(struct pool *p, pool_fn fn, void *task)
{
	struct node *n = xmalloc(sizeof(*n));

	n->fn = fn;
	n->task = task;
	pthread_mutex_lock(&p->mu);
	fifo_push(&p->todo, n);
	p->outstanding++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void *
pool_done(struct pool *p, int wait)
{
	struct node *n;
	void *task = NULL;
	char drain[64];

	while (read(p->pipefd[0], drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&p->mu);
	while (wait && p->outstanding && !p->done.head)
		pthread_cond_wait(&p->done_cv, &p->mu);
	if ((n = fifo_pop(&p->done))) {
		p->outstanding--;
		task = n->task;
	}
	pthread_mutex_unlock(&p->mu);
	free(n);
	return task;
}

size_t
pool_outstanding(const struct pool *p)
{
	return p->outstanding;	/* changed only by the submitting thread */
}

int
pool_workers(const struct pool *p)
{
	return p->nthread;
}

int
pool_fd(const struct pool *p)
{
	return p->pipefd[0];
}

void
pool_free(struct pool *p)
{
	struct node *n;
	int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthread; i++)
		pthread_join(p->thread[i], NULL);
	while ((n = fifo_pop(&p->done)))
		free(n);
	close(p->pipefd[0]);
	close(p->pipefd[1]);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done_cv);
	pthread_mutex_destroy(&p->mu);
	free(p->thread);
	free(p);
}
