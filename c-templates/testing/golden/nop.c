/* SPDX-License-Identifier: MIT */
/* Description: a lone NOP completes with 0 (rules: nop.issue.ok, chain.link.fail) */
/*
 * uringspec case sample/nop, profile host.
 * Rendered by c-templates/renderCase.ts with the helpers it needs from c-templates/runtime/.
 * Exits 0 (pass), 1 (fail) or 77 (skip) and prints one "uringspec-result: {json}" line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "liburing.h"

#define CASE_NAME "sample/nop"
#define RING_ENTRIES 4
#define RING_FLAGS 0
#define REAP_TIMEOUT_MS 2000

/* opcode numbers of profile host (host) */
#define OP_NOP 0

/* flag values from spec/ring.yaml */

/* names of the errnos this case expects (spec/ring.yaml), for messages */
static const char *const errno_names[] = {
	[0] = NULL, /* it expects none */
};

/* ---- runtime/report.c ---- */

#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77

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

/* t_errno_name: "ECANCELED" for -ECANCELED, NULL when res is not a known -errno */
static const char *t_errno_name(int res)
{
	unsigned nr = res < 0 ? (unsigned)-res : 0;

	if (!nr || nr >= sizeof(errno_names) / sizeof(errno_names[0]))
		return NULL;
	return errno_names[nr];
}

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

/* t_op_name: the op of the SQE with this user_data, "?" for a user_data no SQE has */
static const char *t_op_name(__u64 user_data)
{
	unsigned i;

	for (i = 0; i < t_run.nr_ops; i++)
		if (t_run.ops[i].user_data == user_data)
			return t_run.ops[i].op;
	return "?";
}

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

/* ---- runtime/tmpdir.c ---- */

/*
 * t_ignore_sigpipe: a write to a pipe without readers raises SIGPIPE in the writer as well as
 * failing with -EPIPE; ignore it, as liburing's tests do, so that the CQE is what the case sees.
 * Spawned tasks copy the disposition, and programs they exec keep it.
 */
static void t_ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}

/* ---- runtime/expect.c ---- */

#define T_MAX_ONE_OF 8

enum t_res_kind {
	T_RES_EQ,	/* res == res[0] */
	T_RES_ONE_OF,	/* res is one of res[0..nr_res) */
	T_RES_MIN,	/* res >= res[0] */
	T_RES_PENDING,	/* no CQE yet: the request is still in flight */
	T_RES_ABSENT,	/* no CQE ever */
};

/* what the CQE of one user_data must look like */
struct t_cqe_expect {
	__u64 user_data;
	enum t_res_kind kind;
	unsigned nr_res;
	__s32 res[T_MAX_ONE_OF];
	int check_flags;
	__u32 flags;
};

/* the CQE of user_data `before` arrives before that of `after` */
struct t_order {
	__u64 before;
	__u64 after;
};

/* how spawned tasks end and what the exec helper reports (runtime/spawn.c, checked by spawn-check.c) */
struct t_spawn_expect;

/* one whole expectation: what each submit returns, the CQEs, their order, the spawned tasks */
struct t_expect {
	const int *submitted;
	unsigned nr_submitted;
	const struct t_cqe_expect *cqes;
	unsigned nr_cqes;
	const struct t_order *order;
	unsigned nr_order;
	/* NULL in a case that expects nothing of spawned tasks; else checked with check_spawn */
	const struct t_spawn_expect *spawn;
	unsigned (*check_spawn)(const struct t_spawn_expect *spawn, int report);
};

/* t_find_cqe_nth: the n-th (from 0) CQE that arrived for user_data, or NULL */
static const struct t_cqe_seen *t_find_cqe_nth(__u64 user_data, unsigned n)
{
	unsigned i, nr = t_run.nr_cqes < T_MAX_CQES ? t_run.nr_cqes : T_MAX_CQES;

	for (i = 0; i < nr; i++)
		if (t_run.cqes[i].user_data == user_data && !n--)
			return &t_run.cqes[i];
	return NULL;
}

/* t_find_cqe: the first CQE that arrived for user_data, or NULL */
static const struct t_cqe_seen *t_find_cqe(__u64 user_data)
{
	return t_find_cqe_nth(user_data, 0);
}

/* t_nth_of: how many entries before e->cqes[i] expect the same user_data (a multishot request posts several) */
static unsigned t_nth_of(const struct t_expect *e, unsigned i)
{
	unsigned j, n = 0;

	for (j = 0; j < i; j++)
		n += e->cqes[j].user_data == e->cqes[i].user_data;
	return n;
}

/* t_expected_cqe: the expectation of the CQE c, by its user_data and its place among that user_data's CQEs */
static const struct t_cqe_expect *t_expected_cqe(const struct t_expect *e, const struct t_cqe_seen *c, int *known)
{
	unsigned i, n = 0, nr = t_run.nr_cqes < T_MAX_CQES ? t_run.nr_cqes : T_MAX_CQES;

	for (i = 0; i < nr && &t_run.cqes[i] != c; i++)
		n += t_run.cqes[i].user_data == c->user_data;
	*known = 0;
	for (i = 0; i < e->nr_cqes; i++) {
		if (e->cqes[i].user_data != c->user_data)
			continue;
		*known = 1;
		if (!n--)
			return &e->cqes[i];
	}
	return NULL;
}

/* t_res_ok: does res satisfy an eq, one_of or min expectation? */
static int t_res_ok(const struct t_cqe_expect *w, int res)
{
	unsigned i;

	if (w->kind == T_RES_MIN)
		return res >= w->res[0];
	for (i = 0; i < w->nr_res; i++)
		if (res == w->res[i])
			return 1;
	return 0;
}

/* t_want_text: format an expectation as "-125 (ECANCELED)", "one of {..}", ">= 0" or "no CQE" */
static const char *t_want_text(char *buf, size_t len, const struct t_cqe_expect *w)
{
	char one[48];
	size_t off;
	unsigned i;

	switch (w->kind) {
	case T_RES_EQ:
		return t_res_text(buf, len, w->res[0]);
	case T_RES_MIN:
		snprintf(buf, len, ">= %s", t_res_text(one, sizeof(one), w->res[0]));
		return buf;
	case T_RES_PENDING:
		snprintf(buf, len, "no CQE yet (pending)");
		return buf;
	case T_RES_ABSENT:
		snprintf(buf, len, "no CQE (absent)");
		return buf;
	case T_RES_ONE_OF:
		break;
	}
	snprintf(buf, len, "one of {");
	for (i = 0; i < w->nr_res; i++) {
		off = strlen(buf);
		snprintf(buf + off, len - off, "%s%s", i ? ", " : "", t_res_text(one, sizeof(one), w->res[i]));
	}
	off = strlen(buf);
	snprintf(buf + off, len - off, "}");
	return buf;
}

/* t_check_cqes: compare each expected CQE with the one in its place (the n-th of its user_data); count (and maybe print) mismatches */
static unsigned t_check_cqes(const struct t_expect *e, int report)
{
	char want[T_LINE / 2], got[48];
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_cqes; i++) {
		const struct t_cqe_expect *w = &e->cqes[i];
		const struct t_cqe_seen *c = t_find_cqe_nth(w->user_data, t_nth_of(e, i));
		unsigned long long ud = (unsigned long long)w->user_data;
		int ok;

		if (w->kind == T_RES_PENDING || w->kind == T_RES_ABSENT)
			ok = !c;
		else
			ok = c && t_res_ok(w, c->res);
		if (!ok) {
			bad++;
			if (report)
				t_mismatch("user_data %llu (%s): expected %s, got %s", ud, t_op_name(ud),
					   t_want_text(want, sizeof(want), w),
					   c ? t_res_text(got, sizeof(got), c->res) : "no CQE");
		} else if (c && w->check_flags && c->flags != w->flags) {
			bad++;
			if (report)
				t_mismatch("user_data %llu (%s): expected flags 0x%x, got 0x%x", ud, t_op_name(ud),
					   w->flags, c->flags);
		}
	}
	return bad;
}

/* t_check_extra: every CQE must belong to an expected user_data, and come no more often than expected */
static unsigned t_check_extra(const struct t_expect *e, int report)
{
	unsigned i, bad = 0, n = t_run.nr_cqes < T_MAX_CQES ? t_run.nr_cqes : T_MAX_CQES;
	char got[48];
	int known;

	for (i = 0; i < n; i++) {
		const struct t_cqe_seen *c = &t_run.cqes[i];
		unsigned long long ud = (unsigned long long)c->user_data;

		/* a CQE in the place of a pending or absent expectation is t_check_cqes' to report */
		if (t_expected_cqe(e, c, &known))
			continue;
		bad++;
		if (report)
			t_mismatch("user_data %llu (%s): %s, res %s flags 0x%x", ud, t_op_name(ud),
				   known ? "extra CQE" : "unexpected CQE", t_res_text(got, sizeof(got), c->res), c->flags);
	}
	if (t_run.nr_cqes > T_MAX_CQES) {
		bad++;
		if (report)
			t_mismatch("%u CQEs, only the first %u checked", t_run.nr_cqes, (unsigned)T_MAX_CQES);
	}
	return bad;
}

/* t_check_order: each (before, after) pair whose CQEs both arrived arrived in that order */
static unsigned t_check_order(const struct t_expect *e, int report)
{
	const struct t_cqe_seen *a, *b;
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_order; i++) {
		a = t_find_cqe(e->order[i].before);
		b = t_find_cqe(e->order[i].after);
		if (!a || !b || a->seq < b->seq)
			continue;
		bad++;
		if (report)
			t_mismatch("order: user_data %llu (%s) must complete before user_data %llu (%s), got seq %u after %u",
				   (unsigned long long)a->user_data, t_op_name(a->user_data),
				   (unsigned long long)b->user_data, t_op_name(b->user_data), a->seq, b->seq);
	}
	return bad;
}

/* t_check_submitted: what each io_uring_submit returned */
static unsigned t_check_submitted(const struct t_expect *e, int report)
{
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_submitted; i++) {
		if (i < t_run.nr_submitted && t_run.submitted[i] == e->submitted[i])
			continue;
		bad++;
		if (!report)
			continue;
		if (i < t_run.nr_submitted)
			t_mismatch("submit %u: expected %d, got %d", i + 1, e->submitted[i], t_run.submitted[i]);
		else
			t_mismatch("submit %u: expected %d, but it was never called", i + 1, e->submitted[i]);
	}
	return bad;
}

/* t_check_all: every check of one expectation; count (and maybe print) mismatches */
static unsigned t_check_all(const struct t_expect *e, int report)
{
	unsigned bad;

	/* one statement each: the order of the mismatch lines must not be left to the compiler */
	bad = t_check_submitted(e, report);
	bad += t_check_cqes(e, report);
	bad += t_check_extra(e, report);
	bad += t_check_order(e, report);
	if (e->spawn)
		bad += e->check_spawn(e->spawn, report);
	return bad;
}

/*
 * t_verdict: pass if the intended expectation holds; else fail, naming a known divergence (div_id)
 * that holds. A divergence without an expectation (div NULL) is one whose outcome nobody can
 * predict: any failure matches it.
 */
static int t_verdict(const struct t_expect *want, const struct t_expect *div, const char *div_id, const char *div_reason)
{
	unsigned bad = t_check_all(want, 1);

	if (!bad && !t_run.nr_mismatches)
		return T_EXIT_PASS;
	if (div_id && (!div || !t_check_all(div, 0))) {
		printf("# matches known divergence %s: %s\n", div_id, div_reason);
		t_run.divergence = div_id;
	}
	return T_EXIT_FAIL;
}

/* ---- runtime/ring.c ---- */

/* t_io_uring_disabled: the kernel.io_uring_disabled sysctl, -1 when it cannot be read */
static int t_io_uring_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	int val = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

/* the ring t_ring_setup made last: what registers files or personalities with it uses it */
static struct io_uring *t_setup_ring;

/* t_ring_setup: create the ring; io_uring being off, or these flags refused, is a skip */
static int t_ring_setup(struct io_uring *ring, unsigned entries, unsigned flags, const char *flag_names)
{
	struct io_uring_params p;
	char res[48];
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	ret = io_uring_queue_init_params(entries, ring, &p);
	if (!ret) {
		t_setup_ring = ring;
		return T_EXIT_PASS;
	}
	if (ret == -ENOSYS) {
		t_skip("io_uring not available (ENOSYS)");
		return T_EXIT_SKIP;
	}
	if (ret == -EPERM) {
		t_skip("io_uring refused (EPERM, kernel.io_uring_disabled=%d)", t_io_uring_disabled());
		return T_EXIT_SKIP;
	}
	if (ret == -EINVAL && flags) {
		t_skip("setup flags %s refused (EINVAL)", flag_names);
		return T_EXIT_SKIP;
	}
	t_mismatch("setup: io_uring_queue_init_params(%u, %s): %s", entries, flag_names,
		   t_res_text(res, sizeof(res), ret));
	return T_EXIT_FAIL;
}

/* an opcode a case uses, with its name for the skip message */
struct t_opcode {
	int op;
	const char *name;
};

/* t_require_opcodes: skip unless the kernel's probe lists every opcode the case uses */
static int t_require_opcodes(struct io_uring *ring, const struct t_opcode *ops, unsigned nr)
{
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	int ret = T_EXIT_PASS;
	unsigned i;

	if (!probe) {
		printf("# no opcode probe on this kernel, trying anyway\n");
		return T_EXIT_PASS;
	}
	for (i = 0; i < nr; i++) {
		if (!io_uring_opcode_supported(probe, ops[i].op)) {
			t_skip("opcode %d (%s) not supported by this kernel", ops[i].op, ops[i].name);
			ret = T_EXIT_SKIP;
			break;
		}
	}
	io_uring_free_probe(probe);
	return ret;
}

/* t_get_sqe: the next SQE, zeroed; NULL (and a mismatch) when the SQ ring is full */
static struct io_uring_sqe *t_get_sqe(struct io_uring *ring, __u64 user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		t_mismatch("setup: no free SQE for user_data %llu", (unsigned long long)user_data);
		return NULL;
	}
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

/*
 * t_submit: io_uring_submit, keeping what it returned; SQEs it did not consume stay for the next one.
 * On an SQPOLL ring the kernel thread consumes the SQ on its own time, so wait (up to 2 s) until it
 * has taken everything: otherwise two batches could be consumed as one.
 */
static int t_submit(struct io_uring *ring)
{
	struct timespec pause = { 0, 1000000 };
	int ret = io_uring_submit(ring), waited;

	if (t_run.nr_submitted < T_MAX_SUBMITS)
		t_run.submitted[t_run.nr_submitted++] = ret;
	for (waited = 0; (ring->flags & IORING_SETUP_SQPOLL) && io_uring_sq_ready(ring) && waited < 2000; waited++)
		nanosleep(&pause, NULL);
	return ret;
}

/* t_now_ms: CLOCK_MONOTONIC in milliseconds */
static long long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* t_record_cqe: append a CQE to the run log, in arrival order */
static void t_record_cqe(const struct io_uring_cqe *cqe)
{
	struct t_cqe_seen *c;

	if (t_run.nr_cqes < T_MAX_CQES) {
		c = &t_run.cqes[t_run.nr_cqes];
		c->user_data = cqe->user_data;
		c->res = cqe->res;
		c->flags = cqe->flags;
		c->seq = t_run.nr_cqes;
	}
	t_run.nr_cqes++;
}

/* t_awaiting: is a CQE that e promises (eq, one_of, min) still missing? */
static int t_awaiting(const struct t_expect *e)
{
	unsigned i;

	for (i = 0; i < e->nr_cqes; i++) {
		enum t_res_kind k = e->cqes[i].kind;

		if ((k == T_RES_EQ || k == T_RES_ONE_OF || k == T_RES_MIN) && !t_find_cqe_nth(e->cqes[i].user_data, t_nth_of(e, i)))
			return 1;
	}
	return 0;
}

/* t_wait_cqe: wait until deadline (ms) for one CQE and log it: 1 logged, 0 none yet, -1 error (reported under `what`) */
static int t_wait_cqe(struct io_uring *ring, long long deadline, const char *what)
{
	long long left = deadline - t_now_ms();
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	char res[48];
	int ret;

	if (left <= 0)
		return 0;
	ts.tv_sec = left / 1000;
	ts.tv_nsec = left % 1000 * 1000000;
	ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
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

/* t_reap: take CQEs until every awaited one came or timeout_ms passed, then t_run.grace_ms more */
static void t_reap(struct io_uring *ring, const struct t_expect *e, unsigned timeout_ms)
{
	long long now, deadline = t_now_ms() + timeout_ms;
	int grace = 0;

	for (;;) {
		now = t_now_ms();
		if (!grace && !t_awaiting(e)) {
			grace = 1;
			if (now + t_run.grace_ms < deadline)
				deadline = now + t_run.grace_ms;
		}
		if (now >= deadline || t_wait_cqe(ring, deadline, "reap") < 0)
			break;
	}
}

/* ---- runtime/spawn.c ---- */

/* t_reap_children: reap every exited child; a task io_uring spawned is seen only with __WALL */
static void t_reap_children(void)
{
	int status;

	while (waitpid(-1, &status, __WALL | WNOHANG) > 0)
		;
}

/* ---- the case ---- */


/* NOP */
static int test_chain(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;

	/* user_data 1: NOP */
	sqe = t_get_sqe(ring, 1);
	if (!sqe)
		return 1;
	sqe->opcode = OP_NOP;
	sqe->user_data = 1;

	t_submit(ring);
	return 0;
}

/* what the spec expects; comments name the rules that decided each CQE */
static const int want_submitted[] = { 1 };
static const struct t_cqe_expect want_cqes[] = {
	/* NOP: nop.issue.ok */
	{ .user_data = 1, .kind = T_RES_EQ, .nr_res = 1, .res = { 0 } },
};
static const struct t_expect want = {
	.submitted = want_submitted, .nr_submitted = 1,
	.cqes = want_cqes, .nr_cqes = 1,
	.order = NULL, .nr_order = 0,
};

/* the opcodes the kernel must have for this case to run */
static const struct t_opcode case_opcodes[] = {
	{ OP_NOP, "NOP" },
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
	t_run.nr_ops = sizeof(case_ops) / sizeof(case_ops[0]);
	t_run.grace_ms = 50;
	t_ignore_sigpipe();
	ret = t_ring_setup(&ring, RING_ENTRIES, RING_FLAGS, "0");
	if (ret)
		goto out;
	ret = t_require_opcodes(&ring, case_opcodes, sizeof(case_opcodes) / sizeof(case_opcodes[0]));
	if (ret)
		goto out_ring;
	if (test_chain(&ring)) {
		ret = T_EXIT_FAIL;
		goto out_ring;
	}
	t_reap(&ring, &want, REAP_TIMEOUT_MS);
	ret = t_verdict(&want, NULL, NULL, NULL);
out_ring:
	io_uring_queue_exit(&ring);
out:
	t_reap_children();
	t_result_print(ret);
	return ret;
}
