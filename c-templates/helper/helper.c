// SPDX-License-Identifier: MIT
/*
 * Description: the exec target of uringspec's spawn cases. It reports what it inherited
 * (argv, envp, cwd, open fds and what they point to, ids, comm) as one JSON line on
 * fd HELPER_REPORT_FD when that fd is open, then exits with the code written in
 * ./.helper-exit (0 when there is none).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELPER_REPORT_FD	200
#define HELPER_MAX_FD		256

extern char **environ;

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void put_list(FILE *f, const char *name, char **list)
{
	int i;

	fprintf(f, "\"%s\":[", name);
	for (i = 0; list && list[i]; i++) {
		if (i)
			fputc(',', f);
		put_str(f, list[i]);
	}
	fputs("],", f);
}

static void put_fds(FILE *f)
{
	char path[64], target[512];
	int fd, first = 1;
	ssize_t n;

	fputs("\"fds\":{", f);
	for (fd = 0; fd < HELPER_MAX_FD; fd++) {
		if (fd == HELPER_REPORT_FD || fcntl(fd, F_GETFD) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(f, "%s\"%d\":", first ? "" : ",", fd);
		put_str(f, target);
		first = 0;
	}
	fputs("},", f);
}

static int exit_code(void)
{
	FILE *f = fopen(".helper-exit", "r");
	int code = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &code) != 1)
		code = 0;
	fclose(f);
	return code;
}

int main(int argc, char *argv[])
{
	char cwd[512], comm[64] = "";
	FILE *f;
	int fd;

	(void)argc;
	fd = fcntl(HELPER_REPORT_FD, F_GETFD) < 0 ? -1 : dup(HELPER_REPORT_FD);
	if (fd >= 0) {
		f = fdopen(fd, "w");
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, "?");
		FILE *c = fopen("/proc/self/comm", "r");
		if (c) {
			if (fgets(comm, sizeof(comm), c))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(c);
		}
		fputs("{", f);
		put_list(f, "argv", argv);
		put_list(f, "envp", environ);
		fputs("\"cwd\":", f);
		put_str(f, cwd);
		fputc(',', f);
		put_fds(f);
		fprintf(f, "\"uid\":%d,\"gid\":%d,\"pid\":%d,\"ppid\":%d,\"comm\":", (int)getuid(), (int)getgid(), (int)getpid(), (int)getppid());
		put_str(f, comm);
		fputs("}\n", f);
		fclose(f);
	}
	return exit_code();
}
