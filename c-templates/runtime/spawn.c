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

/* @section t_proc_state | includes: <fcntl.h> <stdio.h> <string.h> <sys/stat.h> <unistd.h> */
/* fds below this are snapshotted; closed-fd fixtures (T_CLOSED_FD_BASE 900) stay below it too */
#define T_SNAP_MAX_FD 1024

/* the longest readlink target of an fd the snapshot keeps; a longer one is not kept (target[0] is 0) */
#define T_SNAP_TARGET 256

/* one open fd and the file it names, also as its /proc/self/fd link target (what the exec helper reports) */
struct t_fd_snap {
	int fd;
	dev_t dev;
	ino_t ino;
	char target[T_SNAP_TARGET];
};

/* a process's own state: its fds, cwd, root, umask, and SigBlk/SigIgn of /proc/self/status */
struct t_proc_state {
	struct t_fd_snap fds[T_SNAP_MAX_FD];
	unsigned nr_fds;
	int have_fs;
	struct stat cwd, root;
	int umask;
	int have_sig;
	unsigned long long sigblk, sigign;
};

/* t_proc_state_read: snapshot the calling process (fds first: reading /proc opens one) */
static void t_proc_state_read(struct t_proc_state *s)
{
	char line[256];
	struct stat st;
	int fd, blk = 0, ign = 0;
	ssize_t len;
	mode_t mask;
	FILE *f;

	memset(s, 0, sizeof(*s));
	for (fd = 0; fd < T_SNAP_MAX_FD; fd++) {
		if (fcntl(fd, F_GETFD) < 0 || fstat(fd, &st))
			continue;
		snprintf(line, sizeof(line), "/proc/self/fd/%d", fd);
		len = readlink(line, s->fds[s->nr_fds].target, T_SNAP_TARGET);
		s->fds[s->nr_fds].target[len > 0 && len < T_SNAP_TARGET ? len : 0] = '\0';
		s->fds[s->nr_fds].fd = fd;
		s->fds[s->nr_fds].dev = st.st_dev;
		s->fds[s->nr_fds++].ino = st.st_ino;
	}
	s->have_fs = !stat(".", &s->cwd) && !stat("/", &s->root);
	mask = umask(0);
	umask(mask);
	s->umask = (int)mask;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		blk |= sscanf(line, "SigBlk: %llx", &s->sigblk) == 1;
		ign |= sscanf(line, "SigIgn: %llx", &s->sigign) == 1;
	}
	fclose(f);
	s->have_sig = blk && ign;
}

/* t_proc_fd: the snapshot entry of fd, or NULL when it was not open */
static const struct t_fd_snap *t_proc_fd(const struct t_proc_state *s, int fd)
{
	unsigned i;

	for (i = 0; i < s->nr_fds; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}
/* @end */

/* @section t_spawn | needs: t_run t_helper_report t_json_str t_setup_fail t_proc_state | includes: <fcntl.h> <signal.h> <stdio.h> <sys/wait.h> <unistd.h> */
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
	unsigned char how[T_MAX_TASKS];	/* T_REAP_PLAIN or T_REAP_WALL: what reaped each task */
	pid_t pid;			/* the submitter */
	sigset_t old_mask;		/* its signal mask before t_spawn_begin blocked SIGCHLD */
	struct t_proc_state before;	/* the submitter when it submits */
	struct t_proc_state after;	/* and once the tasks are reaped */
	int sigchld;			/* SIGCHLD was pending after the tasks were reaped */
	int after_state;		/* T_AFTER_*: the request t_ring_after submitted */
	int after_res;
	int children_left;		/* some child was still alive then */
};

/* what became of the request submitted after the chain (t_ring_after) */
enum t_after_state { T_AFTER_NOT_RUN, T_AFTER_NO_SQE, T_AFTER_SUBMIT_FAILED, T_AFTER_NO_CQE, T_AFTER_DONE };

/* how a task was reaped: a plain waitpid() found it, or only __WALL did */
enum t_reap_how { T_REAP_ANY, T_REAP_PLAIN, T_REAP_WALL };

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
			printf("%s{\"exit\": %d, \"signal\": null", i ? ", " : "", WEXITSTATUS(s));
		else if (WIFSIGNALED(s))
			printf("%s{\"exit\": null, \"signal\": %d", i ? ", " : "", WTERMSIG(s));
		else
			printf("%s{\"exit\": null, \"signal\": null", i ? ", " : "");
		printf(", \"reaped\": \"%s\"}", t_spawn.how[i] == T_REAP_PLAIN ? "plain" : "wall");
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
		printf("}, \"ppid\": %ld, \"umask\": %d", r->ppid, r->umask);
		if (r->has_task)
			printf(", \"flags\": %llu, \"exit_signal\": %d", r->flags, r->exit_signal);
		if (r->has_sig)
			printf(", \"sigblk\": \"%llx\", \"sigign\": \"%llx\"", r->sigblk, r->sigign);
		printf("}");
	}
	printf("], \"sigchld\": %s, \"children_left\": %s, \"fds_before\": %u, \"fds_after\": %u}",
	       t_spawn.sigchld ? "true" : "false", t_spawn.children_left ? "true" : "false",
	       t_spawn.before.nr_fds, t_spawn.after.nr_fds);
}

/* t_spawn_begin: the report pipe, its write end on T_REPORT_FD without O_CLOEXEC; before the first submit */
static int t_spawn_begin(void)
{
	sigset_t chld;
	int fds[2];

	/* a fresh log: the executor may run several programs in one process, and one may have stopped early */
	if (t_spawn.report_fd >= 0)
		close(t_spawn.report_fd);
	memset(&t_spawn, 0, sizeof(t_spawn));
	t_spawn.report_fd = -1;
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
	/* SIGCHLD stays pending for t_spawn_collect to see whether a task sent one */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &t_spawn.old_mask);
	t_spawn.pid = getpid();
	t_proc_state_read(&t_spawn.before);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_spawn_collect | needs: t_spawn t_now_ms | includes: <errno.h> <poll.h> <signal.h> <string.h> <sys/wait.h> <time.h> <unistd.h> */
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

/*
 * t_spawn_reap: reap every task that has ended, without waiting. Each is a zombie first (WNOWAIT), so
 * trying a plain waitpid() on it before __WALL tells whether it is an ordinary child.
 */
static void t_spawn_reap(void)
{
	unsigned char how;
	siginfo_t si;
	int status;
	pid_t pid;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | __WALL | WNOHANG | WNOWAIT) || !si.si_pid)
			return;
		how = T_REAP_PLAIN;
		pid = waitpid(si.si_pid, &status, WNOHANG);
		if (pid != si.si_pid) {
			how = T_REAP_WALL;
			pid = waitpid(si.si_pid, &status, __WALL | WNOHANG);
		}
		if (pid != si.si_pid)
			return;
		if (t_spawn.nr_tasks < T_MAX_TASKS) {
			t_spawn.status[t_spawn.nr_tasks] = status;
			t_spawn.how[t_spawn.nr_tasks] = how;
		}
		t_spawn.nr_tasks++;
	}
}

/* t_spawn_settle: after the tasks: was SIGCHLD sent (taken off, then the old mask back), is a child left, the submitter's state */
static void t_spawn_settle(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t pending, chld;
	siginfo_t si;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	t_spawn.sigchld = !sigpending(&pending) && sigismember(&pending, SIGCHLD) == 1;
	while (sigtimedwait(&chld, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &t_spawn.old_mask, NULL);
	/* 0 with no pid: a child that has not ended; -1 (ECHILD): none at all */
	memset(&si, 0, sizeof(si));
	t_spawn.children_left = !waitid(P_ALL, 0, &si, WEXITED | __WALL | WNOHANG | WNOWAIT);
	t_proc_state_read(&t_spawn.after);
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
	t_spawn_settle();
	/* after the snapshot, which compares the fd table with the one t_spawn_begin saw, read end included */
	close(t_spawn.report_fd);
	t_spawn.report_fd = -1;
}
/* @end */

/* @section t_ring_after | needs: t_spawn t_reap t_now_ms | includes: <errno.h> <string.h> */
/*
 * t_ring_after: once the chain and its tasks are done, submit one more request (every field zero but
 * opcode and user_data) and wait up to timeout_ms for its CQE; CQEs of the chain that come meanwhile go
 * to the run log like any other.
 */
static void t_ring_after(struct io_uring *ring, int opcode, __u64 user_data, unsigned timeout_ms)
{
	long long left, deadline = t_now_ms() + timeout_ms;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	int ret;

	t_spawn.after_state = T_AFTER_NO_SQE;
	if (!sqe)
		return;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (__u8)opcode;
	sqe->user_data = user_data;
	ret = io_uring_submit(ring);
	t_spawn.after_state = T_AFTER_SUBMIT_FAILED;
	t_spawn.after_res = ret;
	if (ret != 1)
		return;
	t_spawn.after_state = T_AFTER_NO_CQE;
	/*
	 * until the deadline, not until the first -ETIME: on an IORING_SETUP_IOPOLL ring io_uring_enter() does not
	 * sleep (io_iopoll_check() returns once the iopoll list is empty), so a CQE that comes from io-wq through task
	 * work (a request in drain mode) may come only at a later enter
	 */
	while ((left = deadline - t_now_ms()) > 0) {
		ts.tv_sec = left / 1000;
		ts.tv_nsec = left % 1000 * 1000000;
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		if (ret == -ETIME || ret == -EINTR)
			continue;
		if (ret < 0)
			return;
		if (cqe->user_data != user_data) {
			t_record_cqe(cqe);
			io_uring_cqe_seen(ring, cqe);
			continue;
		}
		t_spawn.after_state = T_AFTER_DONE;
		t_spawn.after_res = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		return;
	}
}
/* @end */

/* @section t_spawn_expect | needs: t_spawn t_byte_run */
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

/* what the submitter had when it submitted, for a report to match */
enum t_of_submitter { T_ANY, T_SAME_AS_SUBMITTER, T_MASK };

/* what the exec helper of a task must report */
struct t_report_expect {
	struct t_str_list argv;
	struct t_str_list envp;
	const char *cwd;		/* NULL: not checked; "." is the temp dir */
	const struct t_fd_ref *fds_open;
	unsigned nr_fds_open;
	const struct t_fd_ref *fds_closed;
	unsigned nr_fds_closed;
	int ring_fd_closed;		/* no fd of the helper is an io_uring */
	int check_flags;		/* task flags (/proc/self/stat field 9): */
	unsigned long long flags_clear, flags_set;
	int exit_signal;		/* /proc/self/stat field 38; -1: not checked */
	int parent_is_submitter;	/* getppid() is the submitter */
	int umask_of_submitter;
	int sigign_of_submitter;
	enum t_of_submitter sigblk;	/* T_SAME_AS_SUBMITTER, or exactly sigblk_mask */
	unsigned long long sigblk_mask;
	int uid, gid;			/* the helper's getuid() and getgid(); -1: not checked */
	const struct t_fd_ref *fds_installed;	/* fixture fds whose file the helper holds under another fd too */
	unsigned nr_fds_installed;
};

/* one task a CLONE (user_data head) spawns */
struct t_task_expect {
	__u64 head;
	enum t_task_outcome outcome;
	int exit;
	const struct t_report_expect *report;	/* NULL: any report will do */
	enum t_reap_how reap;			/* T_REAP_ANY: not checked */
	int sigchld;				/* its end sends SIGCHLD: 1, 0, or -1 unknown */
};

/* a buffer of the case (an SQE's field) after the chain: these runs, then zeros */
struct t_buf_expect {
	__u64 user_data;
	const char *buf;
	size_t size;
	const struct t_byte_run *runs;
	unsigned nr_runs;
};

/* the submitter after the chain */
struct t_submitter_expect {
	const struct t_fd_ref *fds_closed;	/* fixture fds its own requests closed */
	unsigned nr_fds_closed;
	unsigned opened_min, opened_max;	/* new fds its own requests opened */
	int fs_kept;				/* cwd, root, umask as before */
	int no_stray;				/* no child left beyond the tasks that stay blocked */
	const struct t_buf_expect *bufs;
	unsigned nr_bufs;
	int check_after;			/* the request after the chain completed with after_res */
	int after_res;
};

struct t_spawn_expect {
	const struct t_task_expect *tasks;
	unsigned nr_tasks;
	const struct t_submitter_expect *submitter;	/* NULL: not checked */
};
/* @end */
