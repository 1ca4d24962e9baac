/*
 * uringspec guest /init: runs as PID 1 in the initramfs, runs the cases listed
 * in /cases/manifest one by one and reports on the console with framed lines:
 *
 *   @@init start=<K> cases=<N>
 *   @@begin <index> <id>
 *   @@out <index> <line>      (@@cont <index> <chunk> before it when the line is longer than a record)
 *   @@end <index> status=exit:<n>|signal:<n>|hang timeout=<0|1> ms=<ms> extra=<n> stuck=<0|1>
 *   @@done
 *   @@error <message>
 *
 * Each framed line is one write() to /dev/kmsg, so it reaches the console as one
 * printk record: it starts at column 0, kernel messages never split it, and its
 * order relative to WARN/BUG reports is the order the kernel saw. (Needs
 * printk.devkmsg=on against rate limiting.) Without /dev/kmsg it goes to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CASES 4096
#define OUT_LINE 900 /* a kmsg record is at most 992 bytes */
#define EXIT_GRACE_MS 2000 /* drain output after the case exits */
#define KILL_GRACE_MS 5000 /* wait for SIGKILLed tasks before calling it a hang */
#define REAP_GRACE_MS 3000 /* wait for leftovers after the final kill(-1) */

struct test_case {
	int index;
	int timeout_sec;
	char id[256];
	char path[512];
};

static struct test_case cases[MAX_CASES];
static int kmsg_fd = -1;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* One framed line, one write(); "<5>" is the kmsg level (notice), not printed. */
static void __attribute__((format(printf, 1, 2))) emit(const char *fmt, ...)
{
	char buf[OUT_LINE + 64] = "<5>";
	size_t max = sizeof(buf) - 2, len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + 3, max - 3, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = 3 + (size_t)n < max - 1 ? 3 + (size_t)n : max - 1;
	buf[len++] = '\n';
	if (kmsg_fd < 0 || write(kmsg_fd, buf, len) != (ssize_t)len)
		write_all(STDOUT_FILENO, buf + 3, len - 3);
}

/* A marker in the kernel log, so dmesg shows which case was running. */
static void kmsg(const char *what, const char *id)
{
	char buf[320];
	int n;

	if (kmsg_fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "<5>uringspec: %s %s\n", what, id);
	if (n > 0)
		write_all(kmsg_fd, buf, (size_t)n);
}

/* Whole word `word` on the kernel command line. */
static int cmdline_has(const char *word)
{
	char buf[4096] = " ";
	char key[128];
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd >= 0) {
		ssize_t n = read(fd, buf + 1, sizeof(buf) - 3);

		buf[n > 0 ? n + 1 : 1] = '\0';
		close(fd);
	}
	buf[strcspn(buf, "\n")] = ' ';
	snprintf(key, sizeof(key), " %s ", word);
	return strstr(buf, key) != NULL;
}

static void setup_mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

static int start_index(void)
{
	char buf[4096] = "";
	int fd = open("/proc/cmdline", O_RDONLY);
	const char *p;

	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	p = strstr(buf, "uringspec.start=");
	return p ? atoi(p + strlen("uringspec.start=")) : 0;
}

/* write_file: write text to a /proc or /sys file; a missing knob is reported, not fatal */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		emit("@@error cannot set %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* cmdline_value: the value of key=... on the kernel command line, or NULL */
static const char *cmdline_value(const char *key)
{
	static char buf[4096];
	static char value[256];
	int fd = open("/proc/cmdline", O_RDONLY);
	const char *p;
	size_t n;

	buf[0] = '\0';
	if (fd >= 0) {
		ssize_t r = read(fd, buf, sizeof(buf) - 1);

		buf[r > 0 ? r : 0] = '\0';
		close(fd);
	}
	p = strstr(buf, key);
	if (!p)
		return NULL;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n >= sizeof(value))
		n = sizeof(value) - 1;
	memcpy(value, p, n);
	value[n] = '\0';
	return value;
}

/* find_port: the /dev path of the virtio-serial port named `name`, waiting up to 30 s for it (a debug kernel under TCG probes late) */
static int find_port(const char *name, char *path, size_t len)
{
	char file[128], got[64];
	int i, tries;

	for (tries = 0; tries < 600; tries++) {
		for (i = 0; i < 8; i++) {
			int fd;
			ssize_t n;

			snprintf(file, sizeof(file), "/sys/class/virtio-ports/vport%dp1/name", i);
			fd = open(file, O_RDONLY);
			if (fd < 0)
				continue;
			n = read(fd, got, sizeof(got) - 1);
			close(fd);
			got[n > 0 ? n : 0] = '\0';
			got[strcspn(got, "\n")] = '\0';
			snprintf(path, len, "/dev/vport%dp1", i);
			if (!strcmp(got, name) && access(path, R_OK | W_OK) == 0)
				return 0;
		}
		poll(NULL, 0, 50);
	}
	return -1;
}

/*
 * Executor mode (uringspec.mode=executor): /uringspec/executor reads programs from the virtio port
 * named "uringspec" and answers there, until the host closes it. /init stays PID 1 and reaps.
 */
static void run_executor(void)
{
	const char *timeout = cmdline_value("uringspec.timeout_ms=");
	char port[64], *argv[] = { "/uringspec/executor", "--io", port, "--timeout-ms", (char *)(timeout ? timeout : "20000"), NULL, NULL, NULL };
	char *envp[] = { "PATH=/uringspec:/bin", "HOME=/tmp", "TMPDIR=/tmp", NULL };
	int st;
	pid_t pid, w;

	/*
	 * A task blocked in D state (a submitter waiting for a uring_lock that a spawned task holds) is
	 * reported within 3 s, well inside a program's timeout, so the report lands on the program that
	 * caused it rather than on a later one.
	 */
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "2");
	write_file("/proc/sys/kernel/hung_task_check_interval_secs", "1");
	write_file("/proc/sys/kernel/hung_task_warnings", "-1");
	if (find_port("uringspec", port, sizeof(port))) {
		emit("@@error no virtio port named uringspec");
		return;
	}
	/* a GCOV kernel: the executor resets and dumps the counters around each program */
	if (cmdline_has("uringspec.gcov=1")) {
		argv[5] = "--gcov";
		argv[6] = "/uringspec/gcovdump";
	}
	emit("@@init start=0 cases=0 mode=executor");
	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, envp);
		emit("@@error exec %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	while (pid > 0 && (w = waitpid(-1, &st, __WALL)) != pid)
		if (w < 0 && errno != EINTR)
			break;
	emit("@@executor-exit %d", pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static int read_manifest(void)
{
	FILE *f = fopen("/cases/manifest", "r");
	char line[1024];
	int n = 0;

	if (!f) {
		emit("@@error cannot open /cases/manifest: %s", strerror(errno));
		return 0;
	}
	while (n < MAX_CASES && fgets(line, sizeof(line), f)) {
		struct test_case *c = &cases[n];

		if (sscanf(line, "%d %255s %d %511s", &c->index, c->id, &c->timeout_sec, c->path) == 4)
			n++;
		else if (line[0] != '\n' && line[0] != '#')
			emit("@@error bad manifest line: %.200s", line);
	}
	fclose(f);
	return n;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void exec_case(const struct test_case *c, const char *dir, int out_fd)
{
	char bin[600], home[300], id[300], index[32];
	char *argv[] = { bin, NULL };
	char *envp[] = { "PATH=/cases:/bin", home, id, index, NULL };
	int null_fd = open("/dev/null", O_RDONLY);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (chdir(dir) < 0)
		_exit(126);
	dup2(null_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	snprintf(bin, sizeof(bin), "/cases/%s", c->path);
	snprintf(home, sizeof(home), "HOME=%s", dir);
	snprintf(id, sizeof(id), "URINGSPEC_CASE=%s", c->id);
	snprintf(index, sizeof(index), "URINGSPEC_INDEX=%d", c->index);
	execve(bin, argv, envp);
	dprintf(STDERR_FILENO, "uringspec-init: exec %s: %s\n", bin, strerror(errno));
	_exit(127);
}

struct out_buffer {
	int index;
	size_t len;
	char text[OUT_LINE];
};

/* A line longer than a kmsg record goes out as @@cont chunks ended by its @@out; the host joins them. */
static void flush_line(struct out_buffer *b, int more)
{
	emit("@@%s %d %.*s", more ? "cont" : "out", b->index, (int)b->len, b->text);
	b->len = 0;
}

static void take_output(struct out_buffer *b, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			flush_line(b, 0);
			continue;
		}
		if (data[i] == '\r')
			continue;
		/* printk would cut the record at a NUL; keep frames to one printable line. */
		b->text[b->len++] = (unsigned char)data[i] < 0x20 && data[i] != '\t' ? '?' : data[i];
		if (b->len == sizeof(b->text))
			flush_line(b, 1);
	}
}

/* Reaps everything that has exited; returns 1 once `main_pid` is among them. */
static int reap(pid_t main_pid, int *main_status, int *extra)
{
	int found = 0, st;
	pid_t w;

	while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (w == main_pid) {
			*main_status = st;
			found = 1;
		} else {
			(*extra)++;
		}
	}
	return found;
}

/* Kills every process but us and reaps them; returns 1 if some would not die. */
static int reap_leftovers(int *extra)
{
	long long until = now_ms() + REAP_GRACE_MS;
	int st;

	kill(-1, SIGKILL);
	for (;;) {
		pid_t w = waitpid(-1, &st, WNOHANG | __WALL);

		if (w > 0) {
			(*extra)++;
			continue;
		}
		if (w < 0)
			return 0; /* ECHILD: nothing left */
		if (now_ms() > until)
			return 1;
		poll(NULL, 0, 20);
	}
}

static void run_case(const struct test_case *c)
{
	struct out_buffer out = { .index = c->index };
	char dir[64], buf[4096], status[48];
	int pipe_fd[2], main_status = 0, extra = 0, exited = 0, timed_out = 0, hang = 0, stuck;
	long long start, deadline, exit_at = 0, kill_at = 0, end;
	pid_t pid;

	snprintf(dir, sizeof(dir), "/tmp/case-%d-XXXXXX", c->index);
	if (!mkdtemp(dir) || pipe2(pipe_fd, O_CLOEXEC) < 0) {
		emit("@@error case %d: cannot set up: %s", c->index, strerror(errno));
		return;
	}
	emit("@@begin %d %s", c->index, c->id);
	kmsg("begin", c->id);
	start = now_ms();
	deadline = start + (long long)c->timeout_sec * 1000;
	pid = fork();
	if (pid == 0)
		exec_case(c, dir, pipe_fd[1]);
	close(pipe_fd[1]);
	if (pid < 0) {
		emit("@@error case %d: fork: %s", c->index, strerror(errno));
		close(pipe_fd[0]);
		return;
	}
	for (;;) {
		struct pollfd pfd = { .fd = pipe_fd[0], .events = POLLIN };
		long long now;

		if (!exited && reap(pid, &main_status, &extra)) {
			exited = 1;
			exit_at = now_ms();
			/* Tasks the case left behind in its session (spawned ones too). */
			kill(-pid, SIGKILL);
		}
		now = now_ms();
		if (exited && (pipe_fd[0] < 0 || now - exit_at > EXIT_GRACE_MS))
			break;
		if (!exited && !timed_out && now >= deadline) {
			timed_out = 1;
			kill_at = now;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		if (!exited && timed_out && now - kill_at > KILL_GRACE_MS) {
			hang = 1;
			break;
		}
		if (poll(&pfd, pipe_fd[0] < 0 ? 0 : 1, 50) > 0) {
			ssize_t n = read(pipe_fd[0], buf, sizeof(buf));

			if (n > 0) {
				take_output(&out, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(pipe_fd[0]);
				pipe_fd[0] = -1;
			}
		}
	}
	end = hang ? now_ms() : exit_at;
	if (pipe_fd[0] >= 0)
		close(pipe_fd[0]);
	if (out.len)
		flush_line(&out, 0);
	stuck = reap_leftovers(&extra);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (hang)
		snprintf(status, sizeof(status), "hang");
	else if (WIFSIGNALED(main_status))
		snprintf(status, sizeof(status), "signal:%d", WTERMSIG(main_status));
	else
		snprintf(status, sizeof(status), "exit:%d", WEXITSTATUS(main_status));
	kmsg("end", c->id);
	emit("@@end %d status=%s timeout=%d ms=%lld extra=%d stuck=%d", c->index, status, timed_out, end - start, extra, stuck);
}

int main(void)
{
	int start, count;

	setup_mounts();
	if (cmdline_value("uringspec.mode=executor")) {
		run_executor();
		emit("@@done");
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	start = start_index();
	count = read_manifest();
	emit("@@init start=%d cases=%d", start, count);
	for (int i = 0; i < count; i++)
		if (cases[i].index >= start)
			run_case(&cases[i]);
	emit("@@done");
	sync();
	reboot(RB_POWER_OFF);
	emit("@@error reboot(RB_POWER_OFF): %s", strerror(errno));
	for (;;)
		pause();
}
