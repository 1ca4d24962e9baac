/* SPDX-License-Identifier: MIT */
/*
 * executor.c: the fuzz executor's loop. It reads programs (runtime/program.c) from its input and
 * answers each on its output, in order:
 *
 *	U <version>				once, when it is ready
 *	B <id>					a program begins
 *	K <id> <hex>				a kernel log line that appeared while it ran
 *	R <id> <status> <ms> <json or ->	how it ended: exit:<n>, signal:<n>, timeout, stuck or
 *						error:<hex why>; the json is its uringspec-result line
 *
 * A program that spawns, touches files or changes an fd table (its T line says isolate) runs in a
 * child of its own, in a temp dir of its own; the others run one after another in one long-lived
 * worker child, each on a fresh ring. A child that does not answer by the deadline is killed with
 * its process group (the tasks it spawned are in it), and the loop goes on. The executor is the
 * subreaper of everything below it, so that no spawned task outlives it unreaped.
 */

/* @section t_executor | needs: t_program t_program_run t_tmpdir_path t_ignore_sigpipe t_now_ms | includes: <errno.h> <fcntl.h> <ftw.h> <poll.h> <signal.h> <stdarg.h> <stdio.h> <stdlib.h> <string.h> <sys/prctl.h> <sys/stat.h> <sys/wait.h> <unistd.h> */
#define T_EXECUTOR_VERSION 1
#define T_MAX_LINES 8192
#define T_KILL_WAIT_MS 5000

struct t_executor {
	int in, out, kmsg;
	unsigned timeout_ms;
	char base[PATH_MAX];		/* the executor's own temp dir; programs get dirs below it */
	unsigned seq;
	/* the input, read in chunks */
	char *buf;
	size_t len, cap, pos;
	/* the shared worker: its pid, its command pipe and its output */
	pid_t worker;
	int worker_in, worker_out;
};

static struct t_executor t_ex = { .in = 0, .out = 1, .kmsg = -1, .worker = -1, .worker_in = -1, .worker_out = -1 };
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

/* t_ex_say: one output line */
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
	t_ex_write(t_ex.out, line, (size_t)n);
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

/* t_ex_kmsg: report every kernel log record that came since the last call, under this program's id ("-": between programs) */
static void t_ex_kmsg(const char *idhex)
{
	char rec[8192], hex[2 * sizeof(rec) + 1], *msg, *nl;
	ssize_t n;

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
		t_ex_hex(hex, msg, strlen(msg));
		t_ex_say("K %s %s", idhex, hex);
	}
}

/* t_ex_line: the offset of the next input line in the buffer (NUL-terminated there), or -1 at EOF or stop */
static long t_ex_line(void)
{
	char *nl;
	size_t at;
	ssize_t n;

	for (;;) {
		nl = t_ex.pos < t_ex.len ? memchr(t_ex.buf + t_ex.pos, '\n', t_ex.len - t_ex.pos) : NULL;
		if (nl) {
			at = t_ex.pos;
			*nl = '\0';
			t_ex.pos = (size_t)(nl - t_ex.buf) + 1;
			return (long)at;
		}
		if (t_ex.len == t_ex.cap) {
			/* the buffer moves: callers hold offsets, not pointers, until a program is whole */
			t_ex.cap = t_ex.cap ? t_ex.cap * 2 : 1 << 16;
			t_ex.buf = realloc(t_ex.buf, t_ex.cap);
			if (!t_ex.buf)
				return -1;
		}
		n = read(t_ex.in, t_ex.buf + t_ex.len, t_ex.cap - t_ex.len);
		if (n < 0 && errno == EINTR && !t_ex_stop)
			continue;
		if (n <= 0)
			return -1;
		t_ex.len += (size_t)n;
	}
}

/* t_ex_compact: drop the lines already handed out (pointers into them are dead after this) */
static void t_ex_compact(void)
{
	memmove(t_ex.buf, t_ex.buf + t_ex.pos, t_ex.len - t_ex.pos);
	t_ex.len -= t_ex.pos;
	t_ex.pos = 0;
}

/* t_ex_program_lines: one program's lines, P to Z, and its raw text as [start, end) with NULs for newlines */
static unsigned t_ex_program_lines(char **lines, char **start, char **end)
{
	static long at[T_MAX_LINES];
	unsigned nr = 0, i;
	long line;

	t_ex_compact();
	while ((line = t_ex_line()) >= 0) {
		char tag = t_ex.buf[line];

		if (!nr && tag != 'P')
			continue;
		if (nr < T_MAX_LINES)
			at[nr++] = line;
		if (tag == 'Z') {
			for (i = 0; i < nr; i++)
				lines[i] = t_ex.buf + at[i];
			*start = lines[0];
			*end = t_ex.buf + t_ex.pos;
			return nr;
		}
	}
	return 0;
}

/* t_ex_child_setup: a program's child: its own process group, fds of the executor closed */
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
	if (t_ex.kmsg >= 0)
		close(t_ex.kmsg);
	t_run.quiet = 1;
}

/* t_ex_answer: a child's last words: its exit code on a line of its own, after the result line */
static void t_ex_answer(int code)
{
	printf("X %d\n", code);
	fflush(stdout);
}

/* t_ex_worker_main: the shared worker: programs from fd in, results (and "X <code>") on stdout */
static void t_ex_worker_main(int in)
{
	static char *lines[T_MAX_LINES];
	struct t_program p;
	const char *why;
	char *start, *end;
	unsigned nr;
	int code;

	t_ex.in = in;
	t_ex.buf = NULL;
	t_ex.len = t_ex.cap = t_ex.pos = 0;
	while ((nr = t_ex_program_lines(lines, &start, &end))) {
		memset(&t_run, 0, sizeof(t_run));
		t_run.quiet = 1;
		if (t_program_parse(lines, nr, &p, &why))
			code = -1;
		else
			code = t_program_run(&p);
		t_ex_answer(code);
		t_arena_reset();
	}
	_exit(0);
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
	t_ex.worker_out = res[0];
	return 0;
}

static void t_ex_worker_stop(void)
{
	if (t_ex.worker <= 0)
		return;
	kill(-t_ex.worker, SIGKILL);
	close(t_ex.worker_in);
	close(t_ex.worker_out);
	waitpid(t_ex.worker, NULL, __WALL);
	t_ex.worker = -1;
	t_ex.worker_in = t_ex.worker_out = -1;
}

/*
 * t_ex_read_result: read a child's output until its "X <code>" line (after its result line),
 * EOF, the deadline or SIGTERM; keeps the result json. 1 answered, 0 EOF, -1 deadline or stop.
 * The child's tasks may hold its stdout open long after it answered: the X line, not EOF, ends it.
 */
static int t_ex_read_result(int fd, long long deadline, char *json, size_t cap, int *code)
{
	static char acc[1 << 20];
	size_t len = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	char *line, *nl;
	ssize_t n;

	json[0] = '\0';
	for (;;) {
		long long left = deadline - t_now_ms();

		if (left <= 0 || t_ex_stop)
			return -1;
		if (poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
			return 0;
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fd, acc + len, sizeof(acc) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		len += (size_t)n;
		acc[len] = '\0';
		line = acc;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (!strncmp(line, "uringspec-result: ", 18)) {
				snprintf(json, cap, "%s", line + 18);
			} else if (line[0] == 'X' && line[1] == ' ') {
				*code = atoi(line + 2);
				return 1;
			}
			line = nl + 1;
		}
		len -= (size_t)(line - acc);
		memmove(acc, line, len);
		if (len == sizeof(acc) - 1)
			len = 0;	/* a line longer than the buffer: drop it */
	}
}

/* t_ex_error: an error status, its reason in hex */
static void t_ex_error(char *status, size_t scap, const char *why)
{
	char hex[256];

	t_ex_hex(hex, why, strlen(why) < 100 ? strlen(why) : 100);
	snprintf(status, scap, "error:%s", hex);
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

	kill(-pgid, SIGKILL);
	for (;;) {
		while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0)
			if (pid == t_ex.worker)
				t_ex.worker = -1;
		if (kill(-pgid, 0) < 0 && errno == ESRCH)
			return 0;
		if (t_now_ms() >= until)
			return -1;
		usleep(2000);
	}
}

/* t_ex_run_isolated: fork a child for the program, in a fresh temp dir below the executor's */
static void t_ex_run_isolated(struct t_program *p, char *json, size_t cap, char *status, size_t scap)
{
	char dir[PATH_MAX + 16];
	int res[2], wstatus, code = 0, answered;
	long long deadline = t_now_ms() + t_ex.timeout_ms;
	pid_t pid, got = 0;

	snprintf(dir, sizeof(dir), "%s/p%u", t_ex.base, t_ex.seq++);
	if (mkdir(dir, 0700))
		return t_ex_error(status, scap, "mkdir");
	if (pipe2(res, O_CLOEXEC)) {
		rmdir(dir);
		return t_ex_error(status, scap, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		close(res[0]);
		close(res[1]);
		rmdir(dir);
		return t_ex_error(status, scap, "fork");
	}
	if (!pid) {
		close(res[0]);
		t_ex_child_setup(res[1]);
		if (chdir(dir) || !getcwd(t_tmpdir, sizeof(t_tmpdir)))
			_exit(T_EXIT_FAIL);
		code = t_program_run(p);
		t_ex_answer(code);
		_exit(code);
	}
	setpgid(pid, pid);
	close(res[1]);
	answered = t_ex_read_result(res[0], deadline, json, cap, &code);
	close(res[0]);
	if (answered < 0) {
		snprintf(status, scap, "timeout");
		kill(-pid, SIGKILL);
	}
	/* the child itself ends right after its answer, or soon after SIGKILL */
	while ((got = waitpid(pid, &wstatus, __WALL | WNOHANG)) == 0) {
		if (t_now_ms() > deadline + T_KILL_WAIT_MS)
			break;
		if (answered >= 0 && t_now_ms() > deadline) {
			kill(-pid, SIGKILL);
			answered = -1;
			snprintf(status, scap, "timeout");
		}
		usleep(500);
	}
	if (got != pid)
		snprintf(status, scap, "stuck");
	else if (answered >= 0 && WIFEXITED(wstatus))
		snprintf(status, scap, "exit:%d", WEXITSTATUS(wstatus));
	else if (answered >= 0 && WIFSIGNALED(wstatus))
		snprintf(status, scap, "signal:%d", WTERMSIG(wstatus));
	/* tasks the chain spawned that outlived it (a task still blocked) end with its process group */
	if (t_ex_reap_group(pid, t_now_ms() + T_KILL_WAIT_MS) && got == pid)
		snprintf(status + strlen(status), scap - strlen(status), "+stuck");
	nftw(dir, t_ex_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* t_ex_run_shared: hand the program's text to the shared worker (started when there is none) */
static void t_ex_run_shared(const char *text, size_t len, char *json, size_t cap, char *status, size_t scap)
{
	long long deadline = t_now_ms() + t_ex.timeout_ms;
	int code = 0, answered, wstatus;

	if (t_ex.worker <= 0 && t_ex_worker_start())
		return t_ex_error(status, scap, "fork");
	t_ex_write(t_ex.worker_in, text, len);
	answered = t_ex_read_result(t_ex.worker_out, deadline, json, cap, &code);
	if (answered > 0) {
		snprintf(status, scap, "exit:%d", code);
		return;
	}
	snprintf(status, scap, "timeout");
	if (!answered && waitpid(t_ex.worker, &wstatus, __WALL) == t_ex.worker) {
		/* it died: say how */
		t_ex.worker = -1;
		if (WIFSIGNALED(wstatus))
			snprintf(status, scap, "signal:%d", WTERMSIG(wstatus));
		else
			snprintf(status, scap, "exit:%d", WEXITSTATUS(wstatus));
	}
	t_ex_worker_stop();
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
	fprintf(stderr, "usage: %s [--io PORT] [--timeout-ms N] [--no-kmsg]\n", argv0);
	exit(2);
}

/* t_executor_main: options, then programs until EOF on the input or SIGTERM; --io reads and answers on one port (a VM's virtio port) */
static int t_executor_main(int argc, char **argv)
{
	static char *lines[T_MAX_LINES];
	static char json[1 << 20];
	char idhex[512], status[128], *text;
	const char *tmp = getenv("TMPDIR"), *why;
	struct t_program p;
	int i, kmsg = 1;
	char *start, *end;
	unsigned nr;
	size_t k;

	t_ex.timeout_ms = 20000;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--io") && i + 1 < argc)
			t_ex.in = t_ex.out = open(argv[++i], O_RDWR | O_CLOEXEC);
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
			t_ex.timeout_ms = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-kmsg"))
			kmsg = 0;
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
	t_ex_say("U %d", T_EXECUTOR_VERSION);
	while (!t_ex_stop && (nr = t_ex_program_lines(lines, &start, &end))) {
		long long began = t_now_ms();

		snprintf(idhex, sizeof(idhex), "%s", lines[0][1] == ' ' ? lines[0] + 2 : "-");
		status[0] = '\0';
		json[0] = '\0';
		t_ex_kmsg("-");
		t_ex_say("B %s", idhex);
		/* the raw text for the shared worker, before parsing cuts the lines into tokens */
		text = t_alloc((size_t)(end - start));
		if (text) {
			memcpy(text, start, (size_t)(end - start));
			for (k = 0; k < (size_t)(end - start); k++)
				if (!text[k])
					text[k] = '\n';
		}
		if (!text || t_program_parse(lines, nr, &p, &why))
			t_ex_error(status, sizeof(status), text ? why : "out of memory");
		else if (p.isolate)
			t_ex_run_isolated(&p, json, sizeof(json), status, sizeof(status));
		else
			t_ex_run_shared(text, (size_t)(end - start), json, sizeof(json), status, sizeof(status));
		t_ex_kmsg(idhex);
		t_ex_say("R %s %s %lld %s", idhex, status, t_now_ms() - began, json[0] ? json : "-");
		t_arena_reset();
	}
	t_ex_worker_stop();
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
	nftw(t_ex.base, t_ex_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
/* @end */
