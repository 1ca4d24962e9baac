/* SPDX-License-Identifier: MIT */
/*
 * report.c: exit codes, the run log, mismatch lines and the uringspec-result line.
 * c-templates/sliceRuntime.ts copies only the sections a case uses, and what they need.
 */

/* @section t_exit */
enum { T_EXIT_PASS = 0, T_EXIT_FAIL = 1, T_EXIT_SKIP = 77 };
/* @end */

/* @section t_run | needs: t_exit */
/* a reproducer defines T_MAX_CQES and T_MAX_SUBMITS (renderConstants.ts), the executor its own */
#define T_MAX_MISMATCHES 32
#define T_LINE 200

struct t_cqe_seen { __u64 user_data; __s32 res; __u32 flags; };
struct t_op_label { __u64 user_data; const char *op; };

static struct t_run {
	const char *name, *divergence;
	const struct t_op_label *ops;
	unsigned nr_ops, nr_submitted, nr_mismatches;
	unsigned nr_cqes;	/* every CQE, even past T_MAX_CQES */
	unsigned grace_ms;	/* reap this long past the last awaited CQE, for ones that must not come */
	int quiet;		/* the executor's: mismatches go on the result line only */
	int submitted[T_MAX_SUBMITS];
	struct t_cqe_seen cqes[T_MAX_CQES];
	char mismatches[T_MAX_MISMATCHES][T_LINE], skip_reason[T_LINE];
	void (*print_more)(void);	/* more members of the result object */
} t_run;

#define T_NR_SEEN (t_run.nr_cqes < T_MAX_CQES ? t_run.nr_cqes : T_MAX_CQES)
#define T_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* @end */

/* @section t_mismatch | needs: t_run | includes: <stdarg.h> <stdio.h> <string.h> */
/* one line of what went wrong: printed as a "# " line, kept for the result line */
static void __attribute__((format(printf, 1, 2))) t_mismatch(const char *fmt, ...)
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
static void __attribute__((format(printf, 1, 2))) t_skip(const char *fmt, ...)
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
static int t_setup_fail(const char *name, const char *step)
{
	t_mismatch("setup: %s: %s: %s", name, step, strerror(errno));
	return T_EXIT_FAIL;
}
/* @end */

/* @section t_res_text | includes: <stdio.h> <string.h> */
/* "-125 (ECANCELED)" or "4" */
static const char *t_res_text(char *buf, size_t len, int res)
{
	const char *name = res < 0 && res > -4096 ? strerrorname_np(-res) : NULL;

	snprintf(buf, len, name ? "%d (%s)" : "%d", res, name);
	return buf;
}
/* @end */

/* @section t_op_name | needs: t_run */
static const char *t_op_name(__u64 user_data)
{
	for (unsigned i = 0; i < t_run.nr_ops; i++)
		if (t_run.ops[i].user_data == user_data)
			return t_run.ops[i].op;
	return "?";
}
/* @end */

/* @section t_json_str | includes: <stdio.h> */
static void t_json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		printf((unsigned char)*s < 0x20 ? "\\u%04x" : "%c", *s);
	}
	putchar('"');
}
/* @end */

/* @section t_result_print | needs: t_run t_json_str | includes: <stdio.h> */
/* the KTAP result line, then "uringspec-result: {json}" for the runner; returns status */
static int t_result_print(int status)
{
	unsigned i;

	if (!t_run.quiet)
		printf("%sok 1 %s%s%s\n", status && status != T_EXIT_SKIP ? "not " : "", t_run.name,
		       status == T_EXIT_SKIP ? " # SKIP " : "", status == T_EXIT_SKIP ? t_run.skip_reason : "");
	printf("uringspec-result: {\"case\": ");
	t_json_str(t_run.name);
	printf(", \"verdict\": \"%s\", \"divergence\": ", status == T_EXIT_PASS ? "pass" : status == T_EXIT_SKIP ? "skip" : "fail");
	t_json_str(t_run.divergence);
	printf(", \"skip_reason\": ");
	t_json_str(status == T_EXIT_SKIP && t_run.skip_reason[0] ? t_run.skip_reason : NULL);
	printf(", \"submitted\": [");
	for (i = 0; i < t_run.nr_submitted; i++)
		printf("%s%d", i ? ", " : "", t_run.submitted[i]);
	printf("], \"cqes\": [");
	for (i = 0; i < T_NR_SEEN; i++)
		printf("%s{\"user_data\": %llu, \"res\": %d, \"flags\": %u, \"seq\": %u}", i ? ", " : "",
		       (unsigned long long)t_run.cqes[i].user_data, t_run.cqes[i].res, t_run.cqes[i].flags, i);
	printf("], \"mismatches\": [");
	for (i = 0; i < t_run.nr_mismatches && i < T_MAX_MISMATCHES; i++) {
		fputs(i ? ", " : "", stdout);
		t_json_str(t_run.mismatches[i]);
	}
	printf("]");
	if (t_run.print_more)
		t_run.print_more();
	printf("}\n");
	fflush(stdout);
	return status;
}
/* @end */
