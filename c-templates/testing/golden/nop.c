/* SPDX-License-Identifier: MIT */
/* Description: a lone NOP completes with 0 (rules: nop.issue.ok, chain.link.fail) */
/* uringspec case sample/nop, profile host: exits 0, 1 or 77 and prints a "uringspec-result: {json}" line */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "liburing.h"

#define CASE_NAME "sample/nop"
#define RING_ENTRIES 4
#define RING_FLAGS 0
#define REAP_TIMEOUT_MS 2000
#define T_MAX_CQES 256
#define T_MAX_SUBMITS 64
_Static_assert(IORING_OP_NOP == 0, "liburing's IORING_OP_NOP is opcode 0 of host (host)");

/* ---- runtime/report.c ---- */

enum { T_EXIT_PASS = 0, T_EXIT_FAIL = 1, T_EXIT_SKIP = 77 };

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

static void __attribute__((format(printf, 1, 2))) t_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t_run.skip_reason, sizeof(t_run.skip_reason), fmt, ap);
	va_end(ap);
	if (!t_run.quiet)
		printf("# skip: %s\n", t_run.skip_reason);
}

/* "-125 (ECANCELED)" or "4" */
static const char *t_res_text(char *buf, size_t len, int res)
{
	const char *name = res < 0 && res > -4096 ? strerrorname_np(-res) : NULL;

	snprintf(buf, len, name ? "%d (%s)" : "%d", res, name);
	return buf;
}

static const char *t_op_name(__u64 user_data)
{
	for (unsigned i = 0; i < t_run.nr_ops; i++)
		if (t_run.ops[i].user_data == user_data)
			return t_run.ops[i].op;
	return "?";
}

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

/* ---- runtime/tmpdir.c ---- */

/* a write to a pipe without readers fails with -EPIPE and raises SIGPIPE: ignored, as in liburing's tests (spawned tasks inherit it) */
static void t_ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}

/* ---- runtime/expect.c ---- */

#define T_MAX_ONE_OF 8

/* res == res[0]; res one of res[0..nr_res); res >= res[0]; no CQE yet (in flight); no CQE ever */
enum t_res_kind { T_RES_EQ, T_RES_ONE_OF, T_RES_MIN, T_RES_PENDING, T_RES_ABSENT };

/* the n-th entry of one user_data is its n-th CQE: a multishot request posts several */
struct t_cqe_expect {
	__u64 user_data;
	enum t_res_kind kind;
	unsigned nr_res;
	__s32 res[T_MAX_ONE_OF];
	int check_flags;
	__u32 flags;
};

struct t_order;
struct t_spawn_expect;
struct t_fds_expect;
struct t_file_expect;
struct t_stream_expect;

/* the order, spawn, fds, files and streams checks are set only by a case that has them */
struct t_expect {
	const int *submitted;
	unsigned nr_submitted;
	const struct t_cqe_expect *cqes;
	unsigned nr_cqes;
	const struct t_order *order;
	unsigned nr_order;
	unsigned (*check_order)(const struct t_expect *e, int report);
	const struct t_spawn_expect *spawn;
	unsigned (*check_spawn)(const struct t_spawn_expect *spawn, int report);
	const struct t_fds_expect *fds;
	unsigned nr_fds;
	unsigned (*check_fds)(const struct t_expect *e, int report);
	const struct t_file_expect *files;
	unsigned nr_files;
	unsigned (*check_files)(const struct t_expect *e, int report);
	const struct t_stream_expect *streams;
	unsigned nr_streams;
	unsigned (*check_streams)(const struct t_expect *e, int report);
};

static const struct t_cqe_seen *t_find_cqe_nth(__u64 user_data, unsigned n)
{
	for (unsigned i = 0; i < T_NR_SEEN; i++)
		if (t_run.cqes[i].user_data == user_data && !n--)
			return &t_run.cqes[i];
	return NULL;
}

/* the CQE e->cqes[i] stands for: its user_data's n-th, n the entries of that user_data before it */
static const struct t_cqe_seen *t_cqe_of(const struct t_expect *e, unsigned i)
{
	unsigned n = 0;

	for (unsigned j = 0; j < i; j++)
		n += e->cqes[j].user_data == e->cqes[i].user_data;
	return t_find_cqe_nth(e->cqes[i].user_data, n);
}

static int t_res_ok(const struct t_cqe_expect *w, int res)
{
	for (unsigned i = 0; i < w->nr_res; i++)
		if (w->kind == T_RES_MIN ? res >= w->res[i] : res == w->res[i])
			return 1;
	return 0;
}

/* "-125 (ECANCELED)", "one of {..}", ">= 0" or "no CQE" */
static const char *t_want_text(char *buf, size_t len, const struct t_cqe_expect *w)
{
	char one[48];

	snprintf(buf, len, "%s%s", w->kind == T_RES_MIN ? ">= " : "", t_res_text(one, sizeof(one), w->res[0]));
	return buf;
}

/* each expected CQE, found by its user_data: "user_data 1 (NOP): expected -22 (EINVAL), got 0" */
static unsigned t_check_cqes(const struct t_expect *e, int report)
{
	char want[T_LINE / 2], got[48];
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_cqes; i++) {
		const struct t_cqe_expect *w = &e->cqes[i];
		const struct t_cqe_seen *c = t_cqe_of(e, i);
		unsigned long long ud = w->user_data;

		if (w->kind >= T_RES_PENDING ? c != NULL : !c || !t_res_ok(w, c->res)) {
			if (++bad && report)
				t_mismatch("user_data %llu (%s): expected %s, got %s", ud, t_op_name(ud), t_want_text(want, sizeof(want), w),
					   c ? t_res_text(got, sizeof(got), c->res) : "no CQE");
		} else if (c && w->check_flags && c->flags != w->flags && ++bad && report) {
			t_mismatch("user_data %llu (%s): expected flags 0x%x, got 0x%x", ud, t_op_name(ud), w->flags, c->flags);
		}
	}
	return bad;
}

/* a CQE is extra when its user_data has no entry left for it (one in a pending or absent entry's place is t_check_cqes') */
static unsigned t_check_extra(const struct t_expect *e, int report)
{
	unsigned i, j, bad = 0;
	char got[48];

	for (i = 0; i < T_NR_SEEN; i++) {
		const struct t_cqe_seen *c = &t_run.cqes[i];
		unsigned long long ud = c->user_data;
		unsigned before = 0, entries = 0;

		for (j = 0; j < i; j++)
			before += t_run.cqes[j].user_data == ud;
		for (j = 0; j < e->nr_cqes; j++)
			entries += e->cqes[j].user_data == ud;
		if (before >= entries && ++bad && report)
			t_mismatch("user_data %llu (%s): %s, res %s flags 0x%x", ud, t_op_name(ud), entries ? "extra CQE" : "unexpected CQE",
				   t_res_text(got, sizeof(got), c->res), c->flags);
	}
	if (t_run.nr_cqes > T_MAX_CQES && ++bad && report)
		t_mismatch("%u CQEs, only the first %u checked", t_run.nr_cqes, (unsigned)T_MAX_CQES);
	return bad;
}

static unsigned t_check_submitted(const struct t_expect *e, int report)
{
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_submitted; i++) {
		if ((i < t_run.nr_submitted && t_run.submitted[i] == e->submitted[i]) || !++bad || !report)
			continue;
		if (i < t_run.nr_submitted)
			t_mismatch("submit %u: expected %d, got %d", i + 1, e->submitted[i], t_run.submitted[i]);
		else
			t_mismatch("submit %u: expected %d, but it was never called", i + 1, e->submitted[i]);
	}
	return bad;
}

static unsigned t_check_all(const struct t_expect *e, int report)
{
	/* one statement each: the order of the mismatch lines must not be left to the compiler */
	unsigned bad = t_check_submitted(e, report);

	bad += t_check_cqes(e, report);
	bad += t_check_extra(e, report);
	return bad;
}

/* pass if want holds; else fail, naming div_id if div holds (a div of NULL, unpredictable, matches any failure) */
static int t_verdict(const struct t_expect *want, const struct t_expect *div, const char *div_id, const char *div_reason)
{
	if (!t_check_all(want, 1) && !t_run.nr_mismatches)
		return T_EXIT_PASS;
	if (div_id && (!div || !t_check_all(div, 0))) {
		printf("# matches known divergence %s: %s\n", div_id, div_reason);
		t_run.divergence = div_id;
	}
	return T_EXIT_FAIL;
}

/* ---- runtime/ring.c ---- */

/* the ring t_ring_setup made last: what registers files or personalities with it uses it */
static struct io_uring *t_setup_ring;
/* the CQ ring's size a case chose (IORING_SETUP_CQSIZE), 0 for the default of twice the SQ ring's */
static unsigned t_ring_cq_entries;

/*
 * io_uring being off is a skip. Flags refused are a failure: the case's profile says its tree takes them, and
 * the combinations io_uring_setup() refuses are cases of their own (t_ring_setup_refused)
 */
static int t_ring_setup(struct io_uring *ring, unsigned entries, unsigned flags, const char *flag_names)
{
	struct io_uring_params p = { .flags = flags };
	int ret, off = -1;
	char res[48];
	FILE *f;

	if (t_ring_cq_entries) {
		p.flags |= IORING_SETUP_CQSIZE;
		p.cq_entries = t_ring_cq_entries;
	}
	ret = io_uring_queue_init_params(entries, ring, &p);
	if (!ret) {
		t_setup_ring = ring;
		return T_EXIT_PASS;
	}
	if (ret == -EPERM && (f = fopen("/proc/sys/kernel/io_uring_disabled", "r"))) {
		if (fscanf(f, "%d", &off) != 1)
			off = -1;
		fclose(f);
	}
	if (ret == -ENOSYS)
		t_skip("io_uring not available (ENOSYS)");
	else if (ret == -EPERM)
		t_skip("io_uring refused (EPERM, kernel.io_uring_disabled=%d)", off);
	else {
		t_mismatch("setup: io_uring_queue_init_params(%u, %s): %s, expected a ring", entries, flag_names, t_res_text(res, sizeof(res), ret));
		return T_EXIT_FAIL;
	}
	return T_EXIT_SKIP;
}

struct t_opcode { int op; const char *name; };

/* skip unless the kernel's probe lists every opcode the case uses */
static int t_require_opcodes(struct io_uring *ring, const struct t_opcode *ops, unsigned nr)
{
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	unsigned i;

	if (!probe) {
		printf("# no opcode probe on this kernel, trying anyway\n");
		return T_EXIT_PASS;
	}
	for (i = 0; i < nr && io_uring_opcode_supported(probe, ops[i].op); i++)
		;
	if (i < nr)
		t_skip("opcode %d (%s) not supported by this kernel", ops[i].op, ops[i].name);
	io_uring_free_probe(probe);
	return i < nr ? T_EXIT_SKIP : T_EXIT_PASS;
}

/* the next SQE, zeroed: fields a case leaves out are 0 */
static struct io_uring_sqe *t_get_sqe(struct io_uring *ring, __u64 user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (sqe)
		memset(sqe, 0, sizeof(*sqe));
	else
		t_mismatch("setup: no free SQE for user_data %llu", (unsigned long long)user_data);
	return sqe;
}

/* t_get_sqe, or else a spare one that is never submitted: the mismatch t_get_sqe logged fails the case */
static struct io_uring_sqe *t_sqe(struct io_uring *ring, __u64 user_data)
{
	static struct io_uring_sqe spare;
	struct io_uring_sqe *sqe = t_get_sqe(ring, user_data);

	return sqe ? sqe : &spare;
}

static int t_submit(struct io_uring *ring)
{
	int ret = io_uring_submit(ring);

	if (t_run.nr_submitted < T_MAX_SUBMITS)
		t_run.submitted[t_run.nr_submitted++] = ret;
	return ret;
}

static long long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void t_record_cqe(const struct io_uring_cqe *cqe)
{
	if (t_run.nr_cqes < T_MAX_CQES)
		t_run.cqes[t_run.nr_cqes] = (struct t_cqe_seen){ cqe->user_data, cqe->res, cqe->flags };
	t_run.nr_cqes++;
}

/* wait until deadline for one CQE and log it: 1 logged, 0 none yet, -1 error (reported under `what`) */
static int t_wait_cqe(struct io_uring *ring, long long deadline, const char *what)
{
	long long left = deadline - t_now_ms();
	struct __kernel_timespec ts = { left / 1000, left % 1000 * 1000000 };
	struct io_uring_cqe *cqe;
	int ret = left > 0 ? io_uring_wait_cqe_timeout(ring, &cqe, &ts) : -ETIME;
	char res[48];

	if (ret == -ETIME || ret == -EINTR)
		return 0;
	if (ret < 0) {
		t_mismatch("%s: io_uring_wait_cqe_timeout: %s", what, t_res_text(res, sizeof(res), ret));
		return -1;
	}
	t_record_cqe(cqe);
	io_uring_cqe_seen(ring, cqe);
	return 1;
}

/* is a CQE that e promises (eq, one_of, min) still missing? */
static int t_awaiting(const struct t_expect *e)
{
	for (unsigned i = 0; i < e->nr_cqes; i++)
		if (e->cqes[i].kind <= T_RES_MIN && !t_cqe_of(e, i))
			return 1;
	return 0;
}

/* take CQEs until every awaited one came or timeout_ms passed, then t_run.grace_ms more */
static void t_reap(struct io_uring *ring, const struct t_expect *e, unsigned timeout_ms)
{
	long long now, deadline = t_now_ms() + timeout_ms;
	int grace = 0;

	for (;;) {
		now = t_now_ms();
		if (!grace && !t_awaiting(e) && (grace = 1) && now + t_run.grace_ms < deadline)
			deadline = now + t_run.grace_ms;
		if (now >= deadline || t_wait_cqe(ring, deadline, "reap") < 0)
			break;
	}
}

/* ---- the case ---- */
/* NOP */
static void test_chain(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = t_sqe(ring, 1);

	io_uring_prep_nop(sqe);
	sqe->fd = 0;
	sqe->user_data = 1;
}

/* what the spec expects; comments name the rules that decided each CQE */
static const int want_submitted[] = { 1 };
static const struct t_cqe_expect want_cqes[] = {
	{ .user_data = 1, .nr_res = 1, .res = { 0 } }, /* NOP: nop.issue.ok */
};
static const struct t_expect want = {
	.submitted = want_submitted, .nr_submitted = 1, .cqes = want_cqes, .nr_cqes = 1,
};

/* the opcodes the kernel must have for this case to run */
static const struct t_opcode case_opcodes[] = {
	{ IORING_OP_NOP, "NOP" },
};
/* the op of each SQE, by user_data, for messages */
static const struct t_op_label case_ops[] = {
	{ 1, "NOP" },
};

int main(void)
{
	struct io_uring ring;
	int ret;

	t_run.name = CASE_NAME;
	t_run.ops = case_ops;
	t_run.nr_ops = T_LEN(case_ops);
	t_run.grace_ms = 50;
	t_ignore_sigpipe();
	ret = t_ring_setup(&ring, RING_ENTRIES, RING_FLAGS, "0");
	if (ret)
		goto out;
	ret = t_require_opcodes(&ring, case_opcodes, T_LEN(case_opcodes));
	if (ret)
		goto out_ring;
	test_chain(&ring);
	t_submit(&ring);
	t_reap(&ring, &want, REAP_TIMEOUT_MS);
	ret = t_verdict(&want, NULL, NULL, NULL);
out_ring:
	io_uring_queue_exit(&ring);
out:
	return t_result_print(ret);
}
