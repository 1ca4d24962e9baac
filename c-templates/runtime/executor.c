/* SPDX-License-Identifier: MIT */
/*
 * executor.c: the fuzz executor's loop. It reads programs (runtime/program.c) from its input and
 * answers each on its output, in order:
 *
 *	U <version>				once, when it is ready
 *	B <id>					a program began
 *	K <id> <hex>				a kernel log line that appeared while it ran ("-": between programs)
 *	R <id> <status> <ms> <json or ->	how it ended: exit:<n>, signal:<n>, timeout, stuck (either may
 *						end "+stuck": tasks outlived it) or error:<hex why>; the json is its
 *						uringspec-result line
 *
 * A program that spawns, touches files or changes an fd table (its T line says isolate) runs in a
 * child of its own, in a temp dir of its own; the others run one after another in one long-lived
 * worker child, each on a fresh ring, several sent ahead so that the worker never waits for the
 * executor. The child running a program says so ("S"), reads the kernel log itself when the program
 * ends ("K"), prints the result line and its exit code ("X"), so that every line is attributed to
 * the program it belongs to. A child that does not answer by the deadline is killed with its process
 * group (the tasks it spawned are in it), and the loop goes on with the programs after it. The
 * executor is the subreaper of everything below it, so that no spawned task outlives it unreaped.
 *
 * With --gcov PATH (a GCOV kernel), the child zeroes the kernel's coverage counters before each
 * program (`PATH reset`) and dumps what moved after it into the kernel log (`PATH dump <id> 3`,
 * runner/guest/gcovdump.c), ahead of its K lines: programs run one at a time, so each dump is the
 * coverage of its own program.
 */

/* @section t_executor | needs: t_program t_program_run t_run_reset t_tmpdir_path t_ignore_sigpipe t_now_ms | includes: <errno.h> <fcntl.h> <ftw.h> <poll.h> <signal.h> <stdarg.h> <stdio.h> <stdlib.h> <string.h> <sys/prctl.h> <sys/stat.h> <sys/syscall.h> <sys/wait.h> <unistd.h> */
#define T_EXECUTOR_VERSION 2
#define T_MAX_LINES 8192
#define T_KILL_WAIT_MS 5000
/* shared programs sent to the worker ahead of the one it runs */
#define T_WORKER_WINDOW 32

/* a byte stream read in chunks and handed out as lines (NUL-terminated in place) */
struct t_stream {
	int fd;
	char *buf;
	size_t len, cap, pos;
	int eof;
};

/* a shared program in the worker's queue: its raw text (to send again to a new worker) */
struct t_queued {
	char id[512];
	char *text;
	size_t len;
	int started;
	long long started_at;
	char *json;
};

struct t_executor {
	int in, out, kmsg;
	const char *gcovdump;
	unsigned timeout_ms;
	char base[PATH_MAX];		/* the executor's own temp dir; programs get dirs below it */
	unsigned seq;
	struct t_stream input;
	/* the shared worker: its pid, its command pipe and its output */
	pid_t worker;
	int worker_in;
	struct t_stream worker_out;
	struct t_queued queue[T_WORKER_WINDOW];
	unsigned head, nr;
};

static struct t_executor t_ex = { .in = 0, .out = 1, .kmsg = -1, .worker = -1, .worker_in = -1, .worker_out = { .fd = -1 } };
static volatile sig_atomic_t t_ex_stop;

static void t_ex_write(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* the answers, gathered until the executor is about to wait: one write for many lines */
static char t_ex_outbuf[1 << 21];
static size_t t_ex_outlen;

static void t_ex_flush(void)
{
	t_ex_write(t_ex.out, t_ex_outbuf, t_ex_outlen);
	t_ex_outlen = 0;
}

/* t_ex_say: one output line, sent at the next flush */
static void t_ex_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void t_ex_say(const char *fmt, ...)
{
	static char line[1 << 20];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (t_ex_outlen + (size_t)n > sizeof(t_ex_outbuf))
		t_ex_flush();
	memcpy(t_ex_outbuf + t_ex_outlen, line, (size_t)n);
	t_ex_outlen += (size_t)n;
}

static void t_ex_hex(char *out, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (!n) {
		strcpy(out, "-");
		return;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[(unsigned char)s[i] >> 4];
		out[2 * i + 1] = digits[(unsigned char)s[i] & 15];
	}
	out[2 * n] = '\0';
}

/* t_ex_kmsg: every kernel log record that came since the last read, as "K <id> <hex>": answered by the executor, or printed by a program's child */
static void t_ex_kmsg(int from_child, const char *idhex)
{
	char rec[8192], line[2 * sizeof(rec) + 600], *msg, *nl;
	ssize_t n;
	int len;

	if (t_ex.kmsg < 0)
		return;
	for (;;) {
		n = read(t_ex.kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten before we read them */
		if (n <= 0)
			return;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		len = snprintf(line, sizeof(line), "K %s ", idhex);
		t_ex_hex(line + len, msg, strlen(msg));
		if (from_child)
			printf("%s\n", line);
		else
			t_ex_say("%s", line);
	}
}

/* t_stream_line: the offset of the next whole line (NUL-terminated in place), -1 when none is there yet */
static long t_stream_line(struct t_stream *s)
{
	char *nl = s->pos < s->len ? memchr(s->buf + s->pos, '\n', s->len - s->pos) : NULL;
	size_t at = s->pos;

	if (!nl)
		return -1;
	*nl = '\0';
	s->pos = (size_t)(nl - s->buf) + 1;
	return (long)at;
}

/* t_stream_fill: read what there is (once); 0 read something, -1 EOF or error, 1 nothing (EAGAIN) */
static int t_stream_fill(struct t_stream *s)
{
	ssize_t n;

	if (s->pos && s->pos == s->len)
		s->pos = s->len = 0;
	if (s->len == s->cap) {
		if (s->pos) {
			memmove(s->buf, s->buf + s->pos, s->len - s->pos);
			s->len -= s->pos;
			s->pos = 0;
		} else {
			/* the buffer moves: holders keep offsets, not pointers, across a fill */
			s->cap = s->cap ? s->cap * 2 : 1 << 16;
			s->buf = realloc(s->buf, s->cap);
			if (!s->buf)
				return -1;
		}
	}
	n = read(s->fd, s->buf + s->len, s->cap - s->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0) {
		s->eof = 1;
		return -1;
	}
	s->len += (size_t)n;
	return 0;
}

/* t_ex_child_setup: a program's child: its own process group, the executor's own fds closed */
static void t_ex_child_setup(int out)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (t_ex.in > 2)
		close(t_ex.in);
	if (t_ex.out > 2 && t_ex.out != t_ex.in)
		close(t_ex.out);
	if (null >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(out, 1);
	if (out != 1)
		close(out);
	t_run.quiet = 1;
}

/* t_ex_gcov_exec: become gcovdump with fd 3 on /dev/kmsg */
static void t_ex_gcov_exec(char **argv)
{
	int kmsg = open("/dev/kmsg", O_WRONLY);

	if (kmsg >= 0 && kmsg != 3) {
		dup2(kmsg, 3);
		close(kmsg);
	}
	execv(argv[0], argv);
	_exit(127);
}

/* t_ex_gcov_reset: zero the counters (gcovdump reset), and wait for it */
static void t_ex_gcov_reset(void)
{
	char *argv[] = { (char *)t_ex.gcovdump, "reset", NULL };
	pid_t pid;
	int st;

	if (!t_ex.gcovdump)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		t_ex_gcov_exec(argv);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* a dump made ready before the program runs: write to go to start it; done reads EOF when it ended */
struct t_gcov_dump {
	int go, done;
};

/*
 * t_ex_gcov_dump_start: a gcovdump for after the program, forked before it runs, because a program
 * may drop its credentials (a case's uid) while reading the counters and writing the kernel log take
 * root. It is a grandchild (the executor, the subreaper, reaps it), so that the program's own checks
 * of its children never see it; the pipes are close-on-exec on the program's side.
 */
static struct t_gcov_dump t_ex_gcov_dump_start(const char *tag)
{
	struct t_gcov_dump d = { -1, -1 };
	int go[2], done[2], st;
	pid_t mid;

	if (!t_ex.gcovdump)
		return d;
	if (pipe2(go, O_CLOEXEC) < 0)
		return d;
	if (pipe2(done, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return d;
	}
	fflush(stdout);
	mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			char *argv[] = { (char *)t_ex.gcovdump, "dump", (char *)tag, "3", NULL };
			char c;

			close(go[1]);
			close(done[0]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			/* held through the exec until gcovdump exits */
			fcntl(done[1], F_SETFD, 0);
			t_ex_gcov_exec(argv);
		}
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	while (mid > 0 && waitpid(mid, &st, 0) < 0 && errno == EINTR)
		;
	d.go = go[1];
	d.done = done[0];
	return d;
}

/* t_ex_gcov_dump_end: start the dump and wait until it ended */
static void t_ex_gcov_dump_end(struct t_gcov_dump d)
{
	char buf[64];
	ssize_t n;

	if (d.go < 0)
		return;
	while (write(d.go, "x", 1) < 0 && errno == EINTR)
		;
	close(d.go);
	while ((n = read(d.done, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	close(d.done);
}

/*
 * t_ex_serve: run one parsed program in this child: S (for a child of its own, whose start the
 * executor cannot see), the result line, its kernel log, X <code> <ms>. The shared worker runs its
 * programs in order, so the executor knows which one runs without being told.
 */
static int t_ex_serve(struct t_program *p, const char *idhex, int announce)
{
	long long began = t_now_ms();
	struct t_gcov_dump dump;
	int code;

	if (announce) {
		printf("S %s\n", idhex);
		fflush(stdout);
	}
	t_ex_kmsg(1, "-");
	t_ex_gcov_reset();
	dump = t_ex_gcov_dump_start(idhex);
	code = t_program_run(p);
	t_ex_gcov_dump_end(dump);
	t_ex_kmsg(1, idhex);
	printf("X %d %lld\n", code, t_now_ms() - began);
	fflush(stdout);
	return code;
}

/* t_ex_program: the lines of the next whole program in the stream (P to Z), or 0 when it is not all there */
static unsigned t_ex_program(struct t_stream *s, char **lines, char **start, size_t *len)
{
	static long at[T_MAX_LINES];
	size_t from = s->pos;
	unsigned nr = 0, i;
	long line;

	while ((line = t_stream_line(s)) >= 0) {
		char tag = s->buf[line];

		if (!nr && tag != 'P') {
			from = s->pos;
			continue;
		}
		if (nr < T_MAX_LINES)
			at[nr++] = line;
		if (tag == 'Z') {
			for (i = 0; i < nr; i++)
				lines[i] = s->buf + at[i];
			*start = s->buf + at[0];
			*len = s->pos - (size_t)at[0];
			return nr;
		}
	}
	/* not whole yet: give the lines back (their NULs become newlines again) */
	for (i = from; i < s->pos; i++)
		if (!s->buf[i])
			s->buf[i] = '\n';
	s->pos = from;
	return 0;
}

/* t_ex_text: a program's raw text as sent (NULs back to newlines), in memory of its own */
static char *t_ex_text(const char *start, size_t len)
{
	char *text = malloc(len);
	size_t k;

	if (!text)
		return NULL;
	memcpy(text, start, len);
	for (k = 0; k < len; k++)
		if (!text[k])
			text[k] = '\n';
	return text;
}

/* t_ex_idhex: the program's id token (hex), from its P line */
static void t_ex_idhex(const char *p_line, char *idhex, size_t cap)
{
	snprintf(idhex, cap, "%s", p_line[1] == ' ' ? p_line + 2 : "-");
}

/* t_ex_is_isolated: the isolate flag of a program's T line, without parsing the rest */
static int t_ex_is_isolated(char **lines, unsigned nr)
{
	unsigned i;
	int reap, isolate;

	for (i = 0; i < nr; i++)
		if (lines[i][0] == 'T' && sscanf(lines[i], "T %d %d", &reap, &isolate) == 2)
			return isolate;
	return 1;	/* no T line: let the parser in a child say what is wrong */
}

/* t_ex_worker_main: the shared worker: programs from fd in, answers (S, K, result, X) on stdout */
static void t_ex_worker_main(int in)
{
	static char *lines[T_MAX_LINES];
	struct t_stream s = { .fd = in };
	char idhex[512], *start;
	struct t_program p;
	const char *why;
	size_t len;
	unsigned nr;

	for (;;) {
		while (!(nr = t_ex_program(&s, lines, &start, &len)))
			if (t_stream_fill(&s) < 0)
				_exit(0);
		t_ex_idhex(lines[0], idhex, sizeof(idhex));
		t_run_reset();
		if (t_program_parse(lines, nr, &p, &why)) {
			printf("X -1 0\n");
			fflush(stdout);
		} else {
			t_ex_serve(&p, idhex, 0);
		}
		t_arena_reset();
	}
}

static int t_ex_worker_start(void)
{
	int cmd[2], res[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		return -1;
	t_ex.worker = fork();
	if (t_ex.worker < 0)
		return -1;
	if (!t_ex.worker) {
		close(cmd[1]);
		close(res[0]);
		if (chdir(t_ex.base))
			_exit(1);
		t_ex_child_setup(res[1]);
		t_ex_worker_main(cmd[0]);
	}
	setpgid(t_ex.worker, t_ex.worker);
	close(cmd[0]);
	close(res[1]);
	t_ex.worker_in = cmd[1];
	free(t_ex.worker_out.buf);
	t_ex.worker_out = (struct t_stream){ .fd = res[0] };
	fcntl(res[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* t_ex_worker_stop: SIGKILL the worker's group and reap it; returns its wait status (-1 if unknown) */
static int t_ex_worker_stop(void)
{
	int status = -1;

	if (t_ex.worker <= 0)
		return -1;
	kill(-t_ex.worker, SIGKILL);
	close(t_ex.worker_in);
	close(t_ex.worker_out.fd);
	if (waitpid(t_ex.worker, &status, __WALL) != t_ex.worker)
		status = -1;
	t_ex.worker = -1;
	t_ex.worker_in = t_ex.worker_out.fd = -1;
	return status;
}

static void t_ex_status_of(int wstatus, char *status, size_t cap)
{
	if (WIFEXITED(wstatus))
		snprintf(status, cap, "exit:%d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(status, cap, "signal:%d", WTERMSIG(wstatus));
	else
		snprintf(status, cap, "stuck");
}

static void t_ex_answer(const char *idhex, const char *status, long long ms, const char *json)
{
	t_ex_say("R %s %s %lld %s", idhex, status, ms, json && *json ? json : "-");
}

static void t_ex_error(const char *idhex, const char *why)
{
	char hex[256], status[300];

	t_ex_hex(hex, why, strlen(why) < 100 ? strlen(why) : 100);
	snprintf(status, sizeof(status), "error:%s", hex);
	t_ex_answer(idhex, status, 0, NULL);
}

/*
 * t_ex_child_line: one line from a program's child. S: the program began; K: relayed; the result
 * line is kept; X: it ended (its code and ms). Returns 1 on X.
 */
static int t_ex_child_line(const char *line, const char *idhex, char **json, int *code, long long *ms)
{
	if (line[0] == 'S' && line[1] == ' ') {
		t_ex_say("B %s", idhex);
	} else if (line[0] == 'K' && line[1] == ' ') {
		t_ex_say("%s", line);
	} else if (!strncmp(line, "uringspec-result: ", 18)) {
		free(*json);
		*json = strdup(line + 18);
	} else if (line[0] == 'X' && line[1] == ' ') {
		if (sscanf(line, "X %d %lld", code, ms) < 1)
			*code = -1;
		return 1;
	}
	return 0;
}

static int t_ex_rm(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* t_ex_reap_group: SIGKILL what is left of a process group and reap it (and anything reparented to us); 0 when all is gone */
static int t_ex_reap_group(pid_t pgid, long long until)
{
	int status;
	pid_t pid;

	if (kill(-pgid, SIGKILL) < 0 && errno == ESRCH)
		return 0;
	for (;;) {
		while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0)
			if (pid == t_ex.worker)
				t_ex.worker = -1;
		if (kill(-pgid, 0) < 0 && errno == ESRCH)
			return 0;
		if (t_now_ms() >= until)
			return -1;
		usleep(200);
	}
}

/* t_ex_wait: wait (on a pidfd, not by polling) until pid ends or until; its pid once reaped, else 0 */
static pid_t t_ex_wait(pid_t pid, int *wstatus, long long until)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t got;

	while ((got = waitpid(pid, wstatus, __WALL | WNOHANG)) == 0) {
		long long left = until - t_now_ms();
		struct pollfd p = { pfd, POLLIN, 0 };

		if (left <= 0)
			break;
		if (pfd < 0 || poll(&p, 1, left > 1000 ? 1000 : (int)left) < 0)
			usleep(200);
	}
	if (pfd >= 0)
		close(pfd);
	return got;
}

/* t_ex_run_isolated: fork a child for the program, in a fresh temp dir below the executor's, and relay it */
static void t_ex_run_isolated(struct t_program *p, const char *idhex)
{
	char dir[PATH_MAX + 16], status[64] = "", *json = NULL;
	int res[2], wstatus = 0, code = 0, done = 0;
	long long started = t_now_ms(), deadline = started + t_ex.timeout_ms, ms = 0;
	struct t_stream out = { .fd = -1 };
	pid_t pid, got = 0;
	long line;

	snprintf(dir, sizeof(dir), "%s/p%u", t_ex.base, t_ex.seq++);
	if (mkdir(dir, 0700))
		return t_ex_error(idhex, "mkdir");
	if (pipe2(res, O_CLOEXEC)) {
		rmdir(dir);
		return t_ex_error(idhex, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		close(res[0]);
		close(res[1]);
		rmdir(dir);
		return t_ex_error(idhex, "fork");
	}
	if (!pid) {
		close(res[0]);
		t_ex_child_setup(res[1]);
		if (chdir(dir) || !getcwd(t_tmpdir, sizeof(t_tmpdir)))
			_exit(T_EXIT_FAIL);
		_exit(t_ex_serve(p, idhex, 1));
	}
	setpgid(pid, pid);
	close(res[1]);
	out.fd = res[0];
	/* its answer; the tasks it spawned may hold the pipe open long after: the X line, not EOF, ends it */
	while (!done) {
		struct pollfd pfd = { out.fd, POLLIN, 0 };
		long long left = deadline - t_now_ms();

		if (left <= 0 || t_ex_stop) {
			snprintf(status, sizeof(status), "timeout");
			break;
		}
		t_ex_flush();
		if (poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) <= 0)
			continue;
		if (t_stream_fill(&out) < 0)
			break;
		while (!done && (line = t_stream_line(&out)) >= 0)
			done = t_ex_child_line(out.buf + line, idhex, &json, &code, &ms);
	}
	close(out.fd);
	free(out.buf);
	if (!done)
		kill(-pid, SIGKILL);
	/* the child itself ends right after its answer, or soon after SIGKILL */
	got = t_ex_wait(pid, &wstatus, deadline);
	if (got != pid) {
		if (done)
			snprintf(status, sizeof(status), "timeout");
		done = 0;
		kill(-pid, SIGKILL);
		got = t_ex_wait(pid, &wstatus, t_now_ms() + T_KILL_WAIT_MS);
	}
	if (got != pid)
		snprintf(status, sizeof(status), "stuck");
	else if (!status[0])
		t_ex_status_of(wstatus, status, sizeof(status));
	/* tasks the chain spawned that outlived it (a task still blocked) end with its process group */
	if (t_ex_reap_group(pid, t_now_ms() + T_KILL_WAIT_MS) && got == pid)
		snprintf(status + strlen(status), sizeof(status) - strlen(status), "+stuck");
	if (!done && !ms)
		ms = t_now_ms() - started;
	nftw(dir, t_ex_rm, 16, FTW_DEPTH | FTW_PHYS);
	/* what the kernel logged after the child's last look: all of it when the child never answered (a BUG that left it stuck) */
	t_ex_kmsg(0, idhex);
	t_ex_answer(idhex, status, ms, json);
	free(json);
}

/* t_ex_send: hand a shared program to the worker (started when there is none), queued in order */
static int t_ex_send(struct t_queued *q)
{
	if (t_ex.worker <= 0 && t_ex_worker_start())
		return -1;
	t_ex_write(t_ex.worker_in, q->text, q->len);
	return 0;
}

/* t_ex_head_starts: the program at the head of the queue is the one the worker runs now */
static void t_ex_head_starts(void)
{
	struct t_queued *q = &t_ex.queue[t_ex.head];

	if (!t_ex.nr || q->started)
		return;
	q->started = 1;
	q->started_at = t_now_ms();
	t_ex_say("B %s", q->id);
}

static void t_ex_pop(void)
{
	struct t_queued *q = &t_ex.queue[t_ex.head];

	free(q->text);
	free(q->json);
	memset(q, 0, sizeof(*q));
	t_ex.head = (t_ex.head + 1) % T_WORKER_WINDOW;
	t_ex.nr--;
	t_ex_head_starts();
}

/*
 * t_ex_worker_lost: the worker died or hung. The program it was running ends with `status` (or how
 * the worker died); the ones queued behind it go to a new worker.
 */
static void t_ex_worker_lost(const char *timeout)
{
	struct t_queued *q = &t_ex.queue[t_ex.head];
	char status[64];
	int wstatus = t_ex_worker_stop();
	unsigned i;

	if (timeout)
		snprintf(status, sizeof(status), "%s", timeout);
	else if (wstatus >= 0)
		t_ex_status_of(wstatus, status, sizeof(status));
	else
		snprintf(status, sizeof(status), "signal:9");
	if (t_ex.nr) {
		t_ex_kmsg(0, q->id);
		t_ex_answer(q->id, status, t_now_ms() - q->started_at, q->json);
		t_ex_pop();
	}
	/* the rest go to a new worker, the head starting now */
	for (i = 0; i < t_ex.nr; i++)
		if (t_ex_send(&t_ex.queue[(t_ex.head + i) % T_WORKER_WINDOW]))
			break;
	if (t_ex.nr)
		t_ex.queue[t_ex.head].started_at = t_now_ms();
}

/* t_ex_worker_read: relay what the worker said; 0, or -1 when it is gone */
static int t_ex_worker_read(void)
{
	int fill, code = 0;
	long long ms = 0;
	long line;

	while ((fill = t_stream_fill(&t_ex.worker_out)) == 0) {
		while ((line = t_stream_line(&t_ex.worker_out)) >= 0) {
			struct t_queued *q = &t_ex.queue[t_ex.head];
			const char *l = t_ex.worker_out.buf + line;

			if (!t_ex.nr)
				continue;
			if (t_ex_child_line(l, q->id, &q->json, &code, &ms)) {
				char status[32];

				snprintf(status, sizeof(status), "exit:%d", code);
				if (code < 0)
					t_ex_error(q->id, "a line the program encoding does not have");
				else
					t_ex_answer(q->id, status, ms, q->json);
				t_ex_pop();
			}
		}
	}
	return fill < 0 ? -1 : 0;
}

static void t_ex_on_signal(int sig)
{
	(void)sig;
	t_ex_stop = 1;
}

/* t_ex_catch: SIGTERM and SIGINT end the loop; no SA_RESTART, so a blocked read returns */
static void t_ex_catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = t_ex_on_signal;
	sigaction(sig, &sa, NULL);
}

static void t_ex_usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--io PORT] [--timeout-ms N] [--no-kmsg] [--gcov GCOVDUMP]\n", argv0);
	exit(2);
}

/* t_ex_take: handle one whole program from the input; 0 handled, 1 it must wait (an isolated one behind shared ones) */
static int t_ex_take(char **lines, unsigned nr, char *start, size_t len)
{
	char idhex[512];
	struct t_program p;
	const char *why;

	t_ex_idhex(lines[0], idhex, sizeof(idhex));
	if (!t_ex_is_isolated(lines, nr)) {
		struct t_queued *q;

		if (t_ex.nr == T_WORKER_WINDOW)
			return 1;
		q = &t_ex.queue[(t_ex.head + t_ex.nr) % T_WORKER_WINDOW];
		snprintf(q->id, sizeof(q->id), "%s", idhex);
		q->text = t_ex_text(start, len);
		q->len = len;
		t_ex.nr++;
		t_ex_head_starts();
		if (!q->text || t_ex_send(q)) {
			t_ex_error(idhex, q->text ? "fork" : "out of memory");
			t_ex_pop();
		}
		return 0;
	}
	/* in order: what the worker has must be answered before this one runs */
	if (t_ex.nr)
		return 1;
	t_ex_kmsg(0, "-");
	if (t_program_parse(lines, nr, &p, &why)) {
		t_ex_say("B %s", idhex);
		t_ex_error(idhex, why);
	} else {
		t_ex_flush();
		t_ex_run_isolated(&p, idhex);
	}
	t_arena_reset();
	return 0;
}

/* t_executor_main: options, then programs until EOF on the input or SIGTERM; --io reads and answers on one port (a VM's virtio port) */
static int t_executor_main(int argc, char **argv)
{
	static char *lines[T_MAX_LINES];
	const char *tmp = getenv("TMPDIR");
	int i, kmsg = 1, waiting = 0, port = 0, heard = 0;
	long long said_ready;
	char *start;
	size_t len;
	unsigned nr;

	t_ex.timeout_ms = 20000;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--io") && i + 1 < argc) {
			t_ex.in = t_ex.out = open(argv[++i], O_RDWR | O_CLOEXEC);
			port = 1;
		}
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
			t_ex.timeout_ms = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-kmsg"))
			kmsg = 0;
		else if (!strcmp(argv[i], "--gcov") && i + 1 < argc)
			t_ex.gcovdump = argv[++i];
		else
			t_ex_usage(argv[0]);
	}
	if (t_ex.in < 0 || t_ex.out < 0) {
		fprintf(stderr, "executor: cannot open --io: %s\n", strerror(errno));
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	t_ignore_sigpipe();
	t_ex_catch(SIGTERM);
	t_ex_catch(SIGINT);
	if (kmsg) {
		t_ex.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (t_ex.kmsg >= 0)
			lseek(t_ex.kmsg, 0, SEEK_END);
	}
	snprintf(t_ex.base, sizeof(t_ex.base), "%s/uringspec-exec-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t_ex.base)) {
		fprintf(stderr, "executor: mkdtemp %s: %s\n", t_ex.base, strerror(errno));
		return 2;
	}
	t_ex.input.fd = t_ex.in;
	fcntl(t_ex.in, F_SETFL, fcntl(t_ex.in, F_GETFL) | O_NONBLOCK);
	t_ex_say("U %d", T_EXECUTOR_VERSION);
	said_ready = t_now_ms();
	while (!t_ex_stop) {
		struct pollfd pfd[2];
		struct t_queued *q = &t_ex.queue[t_ex.head];
		int timeout = -1;

		/* whole programs first: they may be waiting in the buffer already */
		while (!waiting && (nr = t_ex_program(&t_ex.input, lines, &start, &len))) {
			waiting = t_ex_take(lines, nr, start, len);
			if (waiting) {
				/* read it again later: its lines back as they came */
				for (size_t k = 0; k < len; k++)
					if (!start[k])
						start[k] = '\n';
				t_ex.input.pos = (size_t)(start - t_ex.input.buf);
			} else if (!t_ex.nr) {
				t_ex_kmsg(0, "-");
			}
		}
		if (t_ex.input.eof && !t_ex.nr && !waiting)
			break;
		if (t_ex.nr && q->started) {
			long long left = q->started_at + t_ex.timeout_ms - t_now_ms();

			if (left <= 0) {
				t_ex_worker_lost("timeout");
				waiting = 0;
				continue;
			}
			timeout = (int)left;
		}
		/* a port the host has not opened yet: say we are ready again each second until it speaks */
		if (port && !heard)
			timeout = 1000;
		/* after taking programs: taking one may have started the worker */
		pfd[0] = (struct pollfd){ waiting || t_ex.input.eof ? -1 : t_ex.in, POLLIN, 0 };
		pfd[1] = (struct pollfd){ t_ex.worker_out.fd, POLLIN, 0 };
		t_ex_flush();
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents && t_ex_worker_read() < 0)
			t_ex_worker_lost(NULL);
		if (waiting && t_ex.nr < T_WORKER_WINDOW)
			waiting = 0;
		if (pfd[0].revents) {
			size_t before = t_ex.input.len;

			t_stream_fill(&t_ex.input);
			heard |= t_ex.input.len > before;
		}
		/*
		 * A virtio port reads as EOF until the host side is connected (and after it left): before the
		 * host spoke, that is not the end yet.
		 */
		if (port && !heard) {
			if (t_ex.input.eof)
				usleep(50000);
			t_ex.input.eof = 0;
			if (t_now_ms() - said_ready >= 1000) {
				t_ex_say("U %d", T_EXECUTOR_VERSION);
				said_ready = t_now_ms();
			}
		}
	}
	t_ex_flush();
	t_ex_worker_stop();
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
	nftw(t_ex.base, t_ex_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
/* @end */
