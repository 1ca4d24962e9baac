/* SPDX-License-Identifier: MIT */
/*
 * report.c: exit codes, the run log, mismatch lines and the uringspec-result line.
 *
 * c-templates/sliceRuntime.ts copies only the text between "@section NAME" and "@end",
 * and only the sections a case uses (plus what they need). Nothing outside them is copied.
 * The rendered file (or the executor) defines errno_names[] before these.
 */

/* @section t_exit */
#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77
/* @end */

/* @section t_run | needs: t_exit */
#ifndef T_MAX_CQES
#define T_MAX_CQES 256
#endif
#ifndef T_MAX_SUBMITS
#define T_MAX_SUBMITS 64
#endif
#define T_MAX_MISMATCHES 32
#define T_LINE 200

/* one CQE as it arrived; seq is its arrival index */
struct t_cqe_seen {
	__u64 user_data;
	__s32 res;
	__u32 flags;
	unsigned seq;
};

/* the op of the SQE with this user_data, for messages */
struct t_op_label {
	__u64 user_data;
	const char *op;
};

/* what the uringspec-result line reports */
struct t_run {
	const char *name;
	const struct t_op_label *ops;
	unsigned nr_ops;
	/* the executor keeps "# ..." lines off its output: the result line carries the mismatches */
	int quiet;
	/* how long to keep reaping after the last awaited CQE or task, for ones that must not come */
	unsigned grace_ms;
	int submitted[T_MAX_SUBMITS];
	unsigned nr_submitted;
	struct t_cqe_seen cqes[T_MAX_CQES];
	unsigned nr_cqes;	/* every CQE, even past T_MAX_CQES */
	char mismatches[T_MAX_MISMATCHES][T_LINE];
	unsigned nr_mismatches;
	char skip_reason[T_LINE];
	const char *divergence;
	/* prints more members of the result object (", \"spawn\": {..}"), or NULL */
	void (*print_more)(void);
};

static struct t_run t_run;
/* @end */

/* @section t_mismatch | needs: t_run | includes: <stdarg.h> <stdio.h> <string.h> */
/* t_mismatch: print one "# ..." line and keep it for the result line */
static void t_mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void t_mismatch(const char *fmt, ...)
{
	char line[T_LINE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!t_run.quiet)
		printf("# %s\n", line);
	if (t_run.nr_mismatches < T_MAX_MISMATCHES)
		memcpy(t_run.mismatches[t_run.nr_mismatches], line, sizeof(line));
	t_run.nr_mismatches++;
}
/* @end */

/* @section t_skip | needs: t_run | includes: <stdarg.h> <stdio.h> */
/* t_skip: record and print why this kernel cannot run the case */
static void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void t_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t_run.skip_reason, sizeof(t_run.skip_reason), fmt, ap);
	va_end(ap);
	if (!t_run.quiet)
		printf("# skip: %s\n", t_run.skip_reason);
}
/* @end */

/* @section t_setup_fail | needs: t_mismatch | includes: <errno.h> <string.h> */
/* t_setup_fail: report "setup: <name>: <step>: <errno text>" and fail the case */
static int t_setup_fail(const char *name, const char *step)
{
	int err = errno;

	t_mismatch("setup: %s: %s: %s", name, step, strerror(err));
	return T_EXIT_FAIL;
}
/* @end */

/* @section t_errno_name */
/* t_errno_name: "ECANCELED" for -ECANCELED, NULL when res is not a known -errno */
static const char *t_errno_name(int res)
{
	unsigned nr = res < 0 ? (unsigned)-res : 0;

	if (!nr || nr >= sizeof(errno_names) / sizeof(errno_names[0]))
		return NULL;
	return errno_names[nr];
}
/* @end */

/* @section t_res_text | needs: t_errno_name | includes: <stdio.h> */
/* t_res_text: format res as "-125 (ECANCELED)" or "4" */
static const char *t_res_text(char *buf, size_t len, int res)
{
	const char *name = t_errno_name(res);

	if (name)
		snprintf(buf, len, "%d (%s)", res, name);
	else
		snprintf(buf, len, "%d", res);
	return buf;
}
/* @end */

/* @section t_op_name | needs: t_run */
/* t_op_name: the op of the SQE with this user_data, "?" for a user_data no SQE has */
static const char *t_op_name(__u64 user_data)
{
	unsigned i;

	for (i = 0; i < t_run.nr_ops; i++)
		if (t_run.ops[i].user_data == user_data)
			return t_run.ops[i].op;
	return "?";
}
/* @end */

/* @section t_json_str | includes: <stdio.h> */
/* t_json_str: print s as a JSON string, or null */
static void t_json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}
/* @end */

/* @section t_result_print | needs: t_run t_json_str | includes: <stdio.h> */
/* t_result_print: print the case's KTAP result line, then the machine-readable "uringspec-result: {json}" line */
static void t_result_print(int status)
{
	const char *verdict = status == T_EXIT_PASS ? "pass" : status == T_EXIT_SKIP ? "skip" : "fail";
	unsigned i, n;

	if (t_run.quiet)
		;
	else if (status == T_EXIT_SKIP)
		printf("ok 1 %s # SKIP %s\n", t_run.name, t_run.skip_reason);
	else
		printf("%sok 1 %s\n", status == T_EXIT_PASS ? "" : "not ", t_run.name);
	printf("uringspec-result: {\"case\": ");
	t_json_str(t_run.name);
	printf(", \"verdict\": \"%s\", \"divergence\": ", verdict);
	t_json_str(t_run.divergence);
	printf(", \"skip_reason\": ");
	t_json_str(status == T_EXIT_SKIP && t_run.skip_reason[0] ? t_run.skip_reason : NULL);
	printf(", \"submitted\": [");
	for (i = 0; i < t_run.nr_submitted; i++)
		printf("%s%d", i ? ", " : "", t_run.submitted[i]);
	printf("], \"cqes\": [");
	n = t_run.nr_cqes < T_MAX_CQES ? t_run.nr_cqes : T_MAX_CQES;
	for (i = 0; i < n; i++) {
		const struct t_cqe_seen *c = &t_run.cqes[i];

		printf("%s{\"user_data\": %llu, \"res\": %d, \"flags\": %u, \"seq\": %u}", i ? ", " : "",
		       (unsigned long long)c->user_data, c->res, c->flags, c->seq);
	}
	printf("], \"mismatches\": [");
	n = t_run.nr_mismatches < T_MAX_MISMATCHES ? t_run.nr_mismatches : T_MAX_MISMATCHES;
	for (i = 0; i < n; i++) {
		if (i)
			printf(", ");
		t_json_str(t_run.mismatches[i]);
	}
	printf("]");
	if (t_run.print_more)
		t_run.print_more();
	printf("}\n");
	fflush(stdout);
}
/* @end */
