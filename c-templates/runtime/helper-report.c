/* SPDX-License-Identifier: MIT */
/*
 * helper-report.c: the parser of the exec helper's report (helper/helper.c writes it): lines
 * "argv <i> <s>", "envp <s>", "cwd <s>", "fd <n> <s>", "id <uid> <gid> <pid> <ppid>", "task <flags> <exit_signal>",
 * "umask <octal>", "sig <blocked hex> <ignored hex>", "comm <s>", then "end", with
 * "\\", "\n" and "\xHH" escapes in the strings.
 */

/* @section t_helper_report | includes: <stdio.h> <stdlib.h> <string.h> */
#define T_REPORT_MAX_STRS 64
#define T_REPORT_MAX_FDS 256

/* one open fd of the helper: its number and where /proc/self/fd/<n> points */
struct t_report_fd {
	int fd;
	const char *target;
};

/* one report of the exec helper, parsed in place: the strings point into the buffer it came in */
struct t_report {
	const char *argv[T_REPORT_MAX_STRS];
	unsigned nr_argv;
	const char *envp[T_REPORT_MAX_STRS];
	unsigned nr_envp;
	const char *cwd;
	struct t_report_fd fds[T_REPORT_MAX_FDS];
	unsigned nr_fds;
	long ppid;			/* -1 when there was no "id" line */
	long uid, gid;			/* its getuid() and getgid() from the "id" line */
	int has_task;			/* a "task" line came: */
	unsigned long long flags;	/* the task flags (PF_*) of /proc/self/stat */
	int exit_signal;
	int umask;			/* -1 when there was no "umask" line */
	int has_sig;			/* a "sig" line came: */
	unsigned long long sigblk, sigign;
	const char *error;	/* the first thing wrong with the report, NULL when it is whole */
};

/* t_unescape: undo the helper's escapes ("\\", "\n", "\xHH") in place */
static char *t_unescape(char *s)
{
	char *in = s, *out = s, hex[3] = "";

	while (*in) {
		if (in[0] != '\\' || !in[1]) {
			*out++ = *in++;
		} else if (in[1] == 'n') {
			*out++ = '\n';
			in += 2;
		} else if (in[1] == 'x' && in[2] && in[3]) {
			hex[0] = in[2];
			hex[1] = in[3];
			*out++ = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else {
			*out++ = in[1];
			in += 2;
		}
	}
	*out = '\0';
	return s;
}

/* t_report_number: "<n> <rest>" -> n, with *rest after the space; -1 when there is no number */
static long t_report_number(char *s, char **rest)
{
	long n = strtol(s, rest, 10);

	if (*rest == s || **rest != ' ' || n < 0)
		return -1;
	(*rest)++;
	return n;
}

/* t_report_line: add one line of the report to r: 1 at "end", 0 for any other good line, -1 when bad */
static int t_report_line(struct t_report *r, char *line)
{
	char *rest;
	long n;

	if (!strcmp(line, "end"))
		return 1;
	if (!strncmp(line, "argv ", 5)) {
		n = t_report_number(line + 5, &rest);
		if (n != (long)r->nr_argv || r->nr_argv == T_REPORT_MAX_STRS)
			return -1;
		r->argv[r->nr_argv++] = t_unescape(rest);
	} else if (!strncmp(line, "envp ", 5)) {
		if (r->nr_envp == T_REPORT_MAX_STRS)
			return -1;
		r->envp[r->nr_envp++] = t_unescape(line + 5);
	} else if (!strncmp(line, "cwd ", 4)) {
		r->cwd = t_unescape(line + 4);
	} else if (!strncmp(line, "fd ", 3)) {
		n = t_report_number(line + 3, &rest);
		if (n < 0 || r->nr_fds == T_REPORT_MAX_FDS)
			return -1;
		r->fds[r->nr_fds].fd = (int)n;
		r->fds[r->nr_fds++].target = t_unescape(rest);
	} else if (!strncmp(line, "id ", 3)) {
		unsigned long pid;

		if (sscanf(line + 3, "%ld %ld %lu %ld", &r->uid, &r->gid, &pid, &r->ppid) != 4)
			return -1;
	} else if (!strncmp(line, "task ", 5)) {
		if (sscanf(line + 5, "%llu %d", &r->flags, &r->exit_signal) != 2)
			return -1;
		r->has_task = 1;
	} else if (!strncmp(line, "umask ", 6)) {
		if (sscanf(line + 6, "%o", (unsigned *)&r->umask) != 1)
			return -1;
	} else if (!strncmp(line, "sig ", 4)) {
		if (sscanf(line + 4, "%llx %llx", &r->sigblk, &r->sigign) != 2)
			return -1;
		r->has_sig = 1;
	} else if (strncmp(line, "comm ", 5)) {
		return -1;
	}
	return 0;
}

/*
 * t_report_parse: split buf (NUL-terminated, changed in place) into reports, each ending at an
 * "end" line; fills at most max of them and returns how many there are. A report that is cut
 * short, or has a line the format does not know, gets an error.
 */
static unsigned t_report_parse(char *buf, struct t_report *out, unsigned max)
{
	struct t_report scratch;
	unsigned nr = 0;
	char *line = buf, *nl;
	int ret, open = 0;

	while (*line) {
		struct t_report *r = nr < max ? &out[nr] : &scratch;

		if (!open) {
			memset(r, 0, sizeof(*r));
			r->ppid = -1;
			r->uid = r->gid = -1;
			r->umask = -1;
			open = 1;
		}
		nl = strchr(line, '\n');
		if (!nl) {
			r->error = "cut short: a line without its newline";
			break;
		}
		*nl = '\0';
		ret = t_report_line(r, line);
		if (ret < 0 && !r->error)
			r->error = "a line the report format does not have";
		if (ret > 0) {
			open = 0;
			nr++;
		}
		line = nl + 1;
	}
	if (open) {
		if (nr < max && !out[nr].error)
			out[nr].error = "cut short: no \"end\" line";
		nr++;
	}
	return nr;
}
/* @end */
