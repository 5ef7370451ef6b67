/* tests/smtpsink.py, the real SMTP server of the unit tests: started on a
 * free 127.0.0.1 port, stopped by the test (and by the suite's teardown,
 * with the pid kept there, when an assertion ends the test early). */
#ifndef CW_SINKUTIL_H
#define CW_SINKUTIL_H
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Debian's python3 has python3-aiosmtpd; a python3 earlier in PATH may not. */
static inline const char *
python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

static inline int
have_aiosmtpd(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s -c 'import aiosmtpd' 2>/dev/null", python());
	return system(cmd) == 0;
}

static inline int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Start the sink with the extra arguments (NULL-terminated, may be NULL);
 * its tracebacks (refused handshakes) go to logfile. Returns once it
 * listens. */
static inline pid_t
sinkutil_start(int port, const char *maildir, const char *logfile,
    const char *const *extra)
{
	const char *argv[32] = { python(), "tests/smtpsink.py", "--port", NULL,
	    "--maildir", maildir };
	int pfd[2], argc = 6;
	char ps[16], line[64];
	struct pollfd pf;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	snprintf(ps, sizeof(ps), "%d", port);
	argv[3] = ps;
	while (extra && *extra && argc < 31)
		argv[argc++] = *extra++;
	argv[argc] = NULL;
	cr_assert_eq(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		int lf = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (lf >= 0)
			dup2(lf, 2);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	memset(line, 0, sizeof(line));
	while (got < sizeof(line) - 1 && !strchr(line, '\n')) {
		cr_assert_gt(poll(&pf, 1, 20000), 0, "smtpsink did not start");
		n = read(pfd[0], line + got, sizeof(line) - 1 - got);
		cr_assert_gt(n, 0, "smtpsink exited");
		got += (size_t)n;
	}
	close(pfd[0]);
	cr_assert(!strncmp(line, "ready", 5), "%s", line);
	return pid;
}

static inline void
sinkutil_stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
		*pid = 0;
	}
}

#endif
