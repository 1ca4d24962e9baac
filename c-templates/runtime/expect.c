/* SPDX-License-Identifier: MIT */
/*
 * expect.c: expectations as data, and their comparison with what the kernel did.
 * CQEs are matched by user_data, never by arrival order.
 */

/* @section t_expect */
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
/* @end */

/* @section t_find_cqe | needs: t_expect t_run */
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
/* @end */

/* @section t_res_ok | needs: t_expect */
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
/* @end */

/* @section t_want_text | needs: t_expect t_res_text | includes: <stdio.h> <string.h> */
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
/* @end */

/* @section t_check_cqes | needs: t_find_cqe t_res_ok t_want_text t_op_name t_mismatch */
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
/* @end */

/* @section t_check_extra | needs: t_expect t_find_cqe t_res_text t_op_name t_mismatch */
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
/* @end */

/* @section t_check_order | needs: t_expect t_find_cqe t_op_name t_mismatch */
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
/* @end */

/* @section t_check_submitted | needs: t_expect t_run t_mismatch */
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
/* @end */

/* @section t_verdict | needs: t_check_submitted t_check_cqes t_check_extra t_check_order | includes: <stdio.h> */
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
/* @end */
