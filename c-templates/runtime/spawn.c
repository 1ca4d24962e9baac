/* SPDX-License-Identifier: MIT */
/*
 * spawn.c: the tasks a case spawns. Before the first submit the write end of a pipe goes to
 * fd T_REPORT_FD, so that every spawned task inherits it and the exec helper (helper/helper.c)
 * can write its report there. After the CQEs are reaped the case closes its own copy, reaps
 * the tasks (with __WALL: a spawned task has exit_signal 0) and reads the reports. What the
 * expectation says of them (t_spawn_expect) is checked by spawn-check.c and report-check.c.
 */

/* @section t_reap_children | includes: <sys/wait.h> */
/* t_reap_children: reap every exited child; a task io_uring spawned is seen only with __WALL */
static void t_reap_children(void)
{
	int status;

	while (waitpid(-1, &status, __WALL | WNOHANG) > 0)
		;
}
/* @end */

/* @section t_spawn | needs: t_run t_helper_report t_json_str t_setup_fail | includes: <fcntl.h> <stdio.h> <sys/wait.h> <unistd.h> */
/* the exec helper writes its report to this fd (HELPER_REPORT_FD in helper/helper.c) */
#define T_REPORT_FD 200
#define T_MAX_TASKS 32
#define T_MAX_REPORTS 16
#define T_REPORT_BUF 65536

/* what the spawned tasks did: their wait statuses in reap order, and the helpers' reports */
struct t_spawn {
	int report_fd;			/* read end of the report pipe, -1 before t_spawn_begin */
	int status[T_MAX_TASKS];
	unsigned nr_tasks;		/* every task reaped, even past T_MAX_TASKS */
	unsigned wait_ms;		/* how long t_spawn_collect waited for them */
	char buf[T_REPORT_BUF + 1];
	size_t len;
	int overflow;			/* more than T_REPORT_BUF bytes came */
	int eof;
	struct t_report reports[T_MAX_REPORTS];
	unsigned nr_reports;		/* every report, even past T_MAX_REPORTS */
};

static struct t_spawn t_spawn = { .report_fd = -1 };

/* t_json_strs: print a list of strings as a JSON array */
static void t_json_strs(const char *const *v, unsigned nr)
{
	unsigned i;

	putchar('[');
	for (i = 0; i < nr; i++) {
		if (i)
			printf(", ");
		t_json_str(v[i]);
	}
	putchar(']');
}

/* t_spawn_json: the result line's "spawn" member: how each task ended, and each report */
static void t_spawn_json(void)
{
	unsigned i, j, n = t_spawn.nr_tasks < T_MAX_TASKS ? t_spawn.nr_tasks : T_MAX_TASKS;

	printf(", \"spawn\": {\"tasks\": [");
	for (i = 0; i < n; i++) {
		int s = t_spawn.status[i];

		if (WIFEXITED(s))
			printf("%s{\"exit\": %d, \"signal\": null}", i ? ", " : "", WEXITSTATUS(s));
		else if (WIFSIGNALED(s))
			printf("%s{\"exit\": null, \"signal\": %d}", i ? ", " : "", WTERMSIG(s));
		else
			printf("%s{\"exit\": null, \"signal\": null}", i ? ", " : "");
	}
	printf("], \"reports\": [");
	n = t_spawn.nr_reports < T_MAX_REPORTS ? t_spawn.nr_reports : T_MAX_REPORTS;
	for (i = 0; i < n; i++) {
		const struct t_report *r = &t_spawn.reports[i];

		printf("%s{\"argv\": ", i ? ", " : "");
		t_json_strs(r->argv, r->nr_argv);
		printf(", \"envp\": ");
		t_json_strs(r->envp, r->nr_envp);
		printf(", \"cwd\": ");
		t_json_str(r->cwd);
		printf(", \"fds\": {");
		for (j = 0; j < r->nr_fds; j++) {
			printf("%s\"%d\": ", j ? ", " : "", r->fds[j].fd);
			t_json_str(r->fds[j].target);
		}
		printf("}}");
	}
	printf("]}");
}

/* t_spawn_begin: the report pipe, its write end on T_REPORT_FD without O_CLOEXEC; before the first submit */
static int t_spawn_begin(void)
{
	int fds[2];

	/* O_CLOEXEC keeps the read end, and the spare write end, from the exec'd programs */
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return t_setup_fail("report pipe", "pipe2");
	if (dup2(fds[1], T_REPORT_FD) != T_REPORT_FD) {
		close(fds[0]);
		close(fds[1]);
		return t_setup_fail("report pipe", "dup2");
	}
	close(fds[1]);
	t_spawn.report_fd = fds[0];
	t_run.print_more = t_spawn_json;
	return T_EXIT_PASS;
}
/* @end */

/* @section t_spawn_collect | needs: t_spawn t_now_ms | includes: <errno.h> <poll.h> <time.h> <unistd.h> */
/* t_spawn_drain: read what the report pipe holds now, noting EOF */
static void t_spawn_drain(void)
{
	char spill[4096];
	ssize_t n;

	for (;;) {
		if (t_spawn.len < T_REPORT_BUF)
			n = read(t_spawn.report_fd, t_spawn.buf + t_spawn.len, T_REPORT_BUF - t_spawn.len);
		else
			n = read(t_spawn.report_fd, spill, sizeof(spill));
		if (n > 0 && t_spawn.len == T_REPORT_BUF)
			t_spawn.overflow = 1;
		else if (n > 0)
			t_spawn.len += n;
		else if (n == 0)
			t_spawn.eof = 1;
		if (n == 0 || (n < 0 && errno != EINTR))
			return;
	}
}

/* t_spawn_reap: reap every task that has ended, without waiting */
static void t_spawn_reap(void)
{
	int status;

	while (waitpid(-1, &status, __WALL | WNOHANG) > 0) {
		if (t_spawn.nr_tasks < T_MAX_TASKS)
			t_spawn.status[t_spawn.nr_tasks] = status;
		t_spawn.nr_tasks++;
	}
}

/*
 * t_spawn_collect: after the CQEs are reaped, close the case's end of the report pipe; then reap
 * tasks and read reports until nr_tasks tasks ended or timeout_ms passed, then t_run.grace_ms
 * more (to the pipe's EOF at most); then parse the reports.
 */
static void t_spawn_collect(unsigned nr_tasks, unsigned timeout_ms)
{
	long long now = t_now_ms(), deadline = now + timeout_ms;
	struct timespec ms = { 0, 1000000 };
	struct pollfd pfd;
	int grace = 0;

	t_spawn.wait_ms = timeout_ms;
	close(T_REPORT_FD);
	for (;;) {
		t_spawn_reap();
		t_spawn_drain();
		now = t_now_ms();
		if (!grace && t_spawn.nr_tasks >= nr_tasks) {
			grace = 1;
			if (now + t_run.grace_ms < deadline)
				deadline = now + t_run.grace_ms;
		}
		if (now >= deadline || (grace && t_spawn.eof))
			break;
		/* wait for report bytes, or a little while for a task to end; after EOF poll returns at once */
		pfd.fd = t_spawn.report_fd;
		pfd.events = POLLIN;
		if (t_spawn.eof || poll(&pfd, 1, 5) < 0)
			nanosleep(&ms, NULL);
	}
	t_spawn_reap();
	t_spawn.buf[t_spawn.len] = '\0';
	t_spawn.nr_reports = t_report_parse(t_spawn.buf, t_spawn.reports, T_MAX_REPORTS);
}
/* @end */

/* @section t_spawn_expect */
enum t_task_outcome {
	T_TASK_EXEC,	/* it exec'd: ends with exit(exit) */
	T_TASK_KILLED,	/* no exec succeeded: ends with SIGKILL */
	T_TASK_NONE,	/* it stays blocked: not waited for */
};

/* a fixture fd, by its key ("p0.r", "f0") and where its number is kept */
struct t_fd_ref {
	const char *key;
	const int *fd;
};

/* a list of strings to compare, when check is set */
struct t_str_list {
	int check;
	const char *const *v;
	unsigned nr;
};

/* what the exec helper of a task must report */
struct t_report_expect {
	struct t_str_list argv;
	struct t_str_list envp;
	const char *cwd;		/* NULL: not checked; "." is the temp dir */
	const struct t_fd_ref *fds_open;
	unsigned nr_fds_open;
	const struct t_fd_ref *fds_closed;
	unsigned nr_fds_closed;
};

/* one task a CLONE (user_data head) spawns */
struct t_task_expect {
	__u64 head;
	enum t_task_outcome outcome;
	int exit;
	const struct t_report_expect *report;	/* NULL: any report will do */
};

struct t_spawn_expect {
	const struct t_task_expect *tasks;
	unsigned nr_tasks;
};
/* @end */
