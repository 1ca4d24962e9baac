// SPDX-License-Identifier: MIT
/*
 * Description: the exec target of uringspec's spawn cases. It reports what it inherited on
 * fd HELPER_REPORT_FD when that fd is open, then exits with the code written in <its own path>.exit
 * (0 when there is none). Built with gcc -static -O2 -Wall -Wextra -Werror.
 *
 * The report is one line per item, then "end", in a single write so that reports of helpers
 * running at once do not interleave (a pipe keeps writes of up to PIPE_BUF bytes whole):
 *
 *	argv <i> <string>		one per argument, i from 0
 *	envp <string>			one per environment entry
 *	cwd <path>
 *	fd <n> <readlink target>	one per open fd below HELPER_MAX_FD, except HELPER_REPORT_FD
 *	id <uid> <gid> <pid> <ppid>
 *	task <flags> <exit_signal>	fields 9 and 38 of /proc/self/stat (decimal)
 *	umask <octal>			Umask of /proc/self/status
 *	sig <blocked> <ignored>		SigBlk and SigIgn of /proc/self/status (hex)
 *	comm <name>
 *	end
 *
 * In strings, '\' is written "\\", a newline "\n" and any other byte below 0x20 or 0x7f "\xHH".
 * c-templates/runtime/spawn.c (t_report_line) parses this format.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELPER_REPORT_FD	200
#define HELPER_MAX_FD		1024

extern char **environ;

/* the report, built in memory and written at once */
static char report[65536];
static size_t used;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= sizeof(report))
		return;
	va_start(ap, fmt);
	n = vsnprintf(report + used, sizeof(report) - used, fmt, ap);
	va_end(ap);
	/* a report that does not fit loses its tail, and with it the "end" line */
	used = n < 0 ? sizeof(report) : used + (size_t)n;
}

/* put_escaped: s with '\', newline and control bytes escaped, then a newline */
static void put_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			put("\\\\");
		else if (c == '\n')
			put("\\n");
		else if (c < 0x20 || c == 0x7f)
			put("\\x%02x", c);
		else
			put("%c", c);
	}
	put("\n");
}

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* open_fds: the open fds below HELPER_MAX_FD, ascending; from /proc/self/fd (one pass), else by probing each */
static int open_fds(int *fds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int nr = 0, fd;

	if (!d) {
		for (fd = 0; fd < HELPER_MAX_FD; fd++)
			if (fcntl(fd, F_GETFD) >= 0)
				fds[nr++] = fd;
		return nr;
	}
	while ((e = readdir(d))) {
		fd = atoi(e->d_name);
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && fd != dirfd(d) && fd < HELPER_MAX_FD)
			fds[nr++] = fd;
	}
	closedir(d);
	qsort(fds, nr, sizeof(*fds), by_number);
	return nr;
}

static void put_fds(void)
{
	char path[64], target[4096];
	int fds[HELPER_MAX_FD], nr = open_fds(fds), i, fd;
	ssize_t n;

	for (i = 0; i < nr; i++) {
		fd = fds[i];
		if (fd == HELPER_REPORT_FD)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		put("fd %d ", fd);
		put_escaped(target);
	}
}

/* put_stat: the task flags (field 9) and exit_signal (field 38) of /proc/self/stat; nothing if unreadable */
static void put_stat(void)
{
	char buf[4096], *p;
	unsigned long long flags = 0;
	int field, exit_signal = -1;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;

	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parens: fields 3.. start after the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return;
	for (field = 3, p += 2; *p && field <= 38; field++) {
		if (field == 9)
			flags = strtoull(p, NULL, 10);
		if (field == 38)
			exit_signal = atoi(p);
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	if (field > 38)
		put("task %llu %d\n", flags, exit_signal);
}

/* put_status: Umask, SigBlk and SigIgn of /proc/self/status */
static void put_status(void)
{
	char line[256], umask_text[32] = "", blk[32] = "", ign[32] = "";
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Umask: %31s", umask_text) == 1)
			continue;
		if (sscanf(line, "SigBlk: %31s", blk) == 1)
			continue;
		sscanf(line, "SigIgn: %31s", ign);
	}
	fclose(f);
	if (umask_text[0])
		put("umask %s\n", umask_text);
	if (blk[0] && ign[0])
		put("sig %s %s\n", blk, ign);
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* exit_code: what <this program's path>.exit says (each fixture's copy has its own), else 0 */
static int exit_code(void)
{
	char exe[4096], path[4096 + 8];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int code = 0;
	FILE *f;

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s.exit", exe);
	f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%d", &code) != 1)
		code = 0;
	fclose(f);
	return code;
}

int main(int argc, char *argv[])
{
	char cwd[4096], comm[64];
	size_t done = 0;
	ssize_t n;
	int i;

	if (fcntl(HELPER_REPORT_FD, F_GETFD) < 0)
		return exit_code();
	for (i = 0; i < argc; i++) {
		put("argv %d ", i);
		put_escaped(argv[i]);
	}
	for (i = 0; environ && environ[i]; i++) {
		put("envp ");
		put_escaped(environ[i]);
	}
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	put("cwd ");
	put_escaped(cwd);
	put_fds();
	put("id %d %d %d %d\n", (int)getuid(), (int)getgid(), (int)getpid(), (int)getppid());
	put_stat();
	put_status();
	read_line("/proc/self/comm", comm, sizeof(comm));
	put("comm ");
	put_escaped(comm);
	put("end\n");
	if (used > sizeof(report))
		used = sizeof(report);
	while (done < used) {
		n = write(HELPER_REPORT_FD, report + done, used - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return exit_code();
}
