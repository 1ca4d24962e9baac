/* SPDX-License-Identifier: MIT */
/*
 * expect.c: expectations as data, and their comparison with what the kernel did.
 * CQEs are matched by user_data, never by arrival order.
 */

/* @section t_expect | needs: t_run */
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
/* @end */

/* @section t_byte_run | includes: <stddef.h> */
/* a run of bytes a buffer or a file must hold: len zero bytes, or len bytes of the pattern from k = pattern */
struct t_byte_run {
	int zero;
	unsigned pattern;
	unsigned len;
};

/* byte k of a run: 0, or the fixtures' pattern 'a' + (pattern + k) % 26 (t_write_pattern) */
static inline unsigned char t_run_byte(const struct t_byte_run *r, size_t k)
{
	return r->zero ? 0 : (unsigned char)('a' + (r->pattern + k) % 26);
}
/* @end */

/* @section t_file_expect | needs: t_byte_run */
/* a file fixture after the chain: its size, and with check_bytes, these runs from offset 0 */
struct t_file_expect {
	const char *name;
	const char *path;
	long long size;
	int check_bytes;
	const struct t_byte_run *runs;
	unsigned nr_runs;
};
/* @end */

/* @section t_stream_expect */
/* an end of a pipe or socketpair fixture after the chain: the bytes it can read */
struct t_stream_expect {
	const char *name;
	const char *end;
	const int *fd;
	int avail;
};
/* @end */

/* @section t_check_streams | needs: t_expect t_stream_expect t_mismatch | includes: <errno.h> <string.h> <sys/ioctl.h> */
/* t_check_streams: FIONREAD of each end is what the chain left in the stream it reads */
static unsigned t_check_streams(const struct t_expect *e, int report)
{
	unsigned i, bad = 0;
	int n;

	for (i = 0; i < e->nr_streams; i++) {
		const struct t_stream_expect *w = &e->streams[i];

		if (ioctl(*w->fd, FIONREAD, &n)) {
			bad++;
			if (report)
				t_mismatch("stream %s (%s end): FIONREAD: %s after the chain", w->name, w->end, strerror(errno));
		} else if (n != w->avail) {
			bad++;
			if (report)
				t_mismatch("stream %s (%s end): %d bytes to read after the chain, expected %d", w->name, w->end, n, w->avail);
		}
	}
	return bad;
}
/* @end */

/* @section t_check_files | needs: t_expect t_file_expect t_mismatch | includes: <errno.h> <fcntl.h> <string.h> <sys/stat.h> <unistd.h> */
/* t_file_bytes_bad: the file's bytes against its runs; 1 (and maybe a mismatch line) at the first byte that differs */
static unsigned t_file_bytes_bad(const struct t_file_expect *w, int fd, int report)
{
	unsigned char chunk[4096], want;
	long long at = 0;
	unsigned r = 0, k = 0, i;
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		for (i = 0; i < (unsigned)n; i++, at++, k++) {
			while (r < w->nr_runs && k == w->runs[r].len) {
				r++;
				k = 0;
			}
			if (r == w->nr_runs)
				return 0;	/* the size check reports bytes past the runs */
			want = t_run_byte(&w->runs[r], k);
			if (chunk[i] == want)
				continue;
			if (report)
				t_mismatch("file %s, byte %lld after the chain: expected 0x%02x, got 0x%02x", w->name, at, want, chunk[i]);
			return 1;
		}
	}
	return 0;
}

/* t_check_files: each file fixture has the size and bytes the chain left it, read through its path */
static unsigned t_check_files(const struct t_expect *e, int report)
{
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_files; i++) {
		const struct t_file_expect *w = &e->files[i];
		struct stat st;
		int fd;

		if (stat(w->path, &st)) {
			bad++;
			if (report)
				t_mismatch("file %s: %s after the chain", w->name, strerror(errno));
			continue;
		}
		if ((long long)st.st_size != w->size) {
			bad++;
			if (report)
				t_mismatch("file %s: %lld bytes after the chain, expected %lld", w->name, (long long)st.st_size, w->size);
			continue;
		}
		if (!w->check_bytes)
			continue;
		fd = open(w->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			bad++;
			if (report)
				t_mismatch("file %s: open: %s after the chain", w->name, strerror(errno));
			continue;
		}
		bad += t_file_bytes_bad(w, fd, report);
		close(fd);
	}
	return bad;
}
/* @end */

/* @section t_fds_expect */
/* one int a request stored: a new fd (these F_GETFL bits of O_ACCMODE | O_NONBLOCK | O_DIRECT, FD_CLOEXEC or not), or exactly eq */
struct t_fd_int {
	int is_fd;
	int eq;
	int fl;
	int cloexec;
};

/* the ints a request stored in a buffer of the case (int fds[2] of a PIPE); one_pipe: the fds are one FIFO's ends */
struct t_fds_expect {
	__u64 user_data;
	const void *buf;
	size_t size;
	const struct t_fd_int *ints;
	unsigned nr_ints;
	int one_pipe;
};
/* @end */

/* @section t_check_fds | needs: t_expect t_fds_expect t_op_name t_mismatch | includes: <fcntl.h> <string.h> <sys/stat.h> */
#define T_FD_FL_BITS (O_ACCMODE | O_NONBLOCK | O_DIRECT)

/* t_check_fds: each stored int is the slot index it must be, or an open fd with its flags; one_pipe: all name one FIFO */
static unsigned t_check_fds(const struct t_expect *e, int report)
{
	unsigned i, k, bad = 0;

	for (i = 0; i < e->nr_fds; i++) {
		const struct t_fds_expect *w = &e->fds[i];
		unsigned long long ud = w->user_data;
		struct stat st, first;
		int fd, fl, fdfl, have_first = 0;

		memset(&first, 0, sizeof(first));
		if (w->size < w->nr_ints * sizeof(int)) {
			if (++bad && report)
				t_mismatch("user_data %llu (%s): %u ints expected in a buffer of %zu bytes", ud, t_op_name(ud), w->nr_ints, w->size);
			continue;
		}
		for (k = 0; k < w->nr_ints; k++) {
			const struct t_fd_int *x = &w->ints[k];

			memcpy(&fd, (const char *)w->buf + k * sizeof(int), sizeof(int));
			if (!x->is_fd) {
				if (fd != x->eq && ++bad && report)
					t_mismatch("user_data %llu (%s): stored int %u is %d, expected %d", ud, t_op_name(ud), k, fd, x->eq);
				continue;
			}
			fl = fcntl(fd, F_GETFL);
			fdfl = fcntl(fd, F_GETFD);
			if (fd < 0 || fl < 0 || fdfl < 0 || fstat(fd, &st)) {
				if (++bad && report)
					t_mismatch("user_data %llu (%s): stored fd %u is %d, not an open fd", ud, t_op_name(ud), k, fd);
				continue;
			}
			if ((fl & T_FD_FL_BITS) != x->fl && ++bad && report)
				t_mismatch("user_data %llu (%s): fd %d (stored int %u) has F_GETFL bits 0x%x, expected 0x%x", ud, t_op_name(ud), fd, k,
					   (unsigned)(fl & T_FD_FL_BITS), (unsigned)x->fl);
			if (!!(fdfl & FD_CLOEXEC) != !!x->cloexec && ++bad && report)
				t_mismatch("user_data %llu (%s): fd %d (stored int %u) is %sFD_CLOEXEC, expected %s", ud, t_op_name(ud), fd, k,
					   fdfl & FD_CLOEXEC ? "" : "not ", x->cloexec ? "FD_CLOEXEC" : "none");
			if (!w->one_pipe)
				continue;
			if (!S_ISFIFO(st.st_mode) && ++bad && report)
				t_mismatch("user_data %llu (%s): fd %d (stored int %u) is not a pipe (mode 0%o)", ud, t_op_name(ud), fd, k, (unsigned)st.st_mode);
			if (!have_first) {
				first = st;
				have_first = 1;
			} else if ((st.st_dev != first.st_dev || st.st_ino != first.st_ino) && ++bad && report) {
				t_mismatch("user_data %llu (%s): fd %d (stored int %u) is another file than the first stored fd", ud, t_op_name(ud), fd, k);
			}
		}
	}
	return bad;
}
/* @end */

/* @section t_find_cqe | needs: t_expect */
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
/* @end */

/* @section t_check_cqes | needs: t_find_cqe t_res_text t_op_name t_mismatch | includes: <stdio.h> */
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
/* @if f_one_of */
	size_t off;
	unsigned i;
/* @endif */

/* @if f_no_cqe */
	if (w->kind == T_RES_PENDING || w->kind == T_RES_ABSENT)
		return w->kind == T_RES_PENDING ? "no CQE yet (pending)" : "no CQE (absent)";
/* @endif */
/* @if f_one_of */
	if (w->kind == T_RES_ONE_OF) {
		off = snprintf(buf, len, "one of {");
		for (i = 0; i < w->nr_res && off < len; i++)
			off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "", t_res_text(one, sizeof(one), w->res[i]));
		if (off < len)
			snprintf(buf + off, len - off, "}");
		return buf;
	}
/* @endif */
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
/* @end */

/* @section t_check_extra | needs: t_expect t_res_text t_op_name t_mismatch */
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
/* @end */

/* @section t_check_order | needs: t_find_cqe t_op_name t_mismatch */
struct t_order {
	__u64 before;
	__u64 after;
};

/* each (before, after) pair whose CQEs both came came in that order */
static unsigned t_check_order(const struct t_expect *e, int report)
{
	const struct t_cqe_seen *a, *b;
	unsigned i, bad = 0;

	for (i = 0; i < e->nr_order; i++) {
		a = t_find_cqe_nth(e->order[i].before, 0);
		b = t_find_cqe_nth(e->order[i].after, 0);
		if (!a || !b || a < b || (++bad && !report))
			continue;
		t_mismatch("order: user_data %llu (%s) must complete before user_data %llu (%s), got seq %u after %u",
			   (unsigned long long)a->user_data, t_op_name(a->user_data), (unsigned long long)b->user_data,
			   t_op_name(b->user_data), (unsigned)(a - t_run.cqes), (unsigned)(b - t_run.cqes));
	}
	return bad;
}
/* @end */

/* @section t_check_submitted | needs: t_expect t_mismatch */
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
/* @end */

/* @section t_verdict | needs: t_check_submitted t_check_cqes t_check_extra | includes: <stdio.h> */
static unsigned t_check_all(const struct t_expect *e, int report)
{
	/* one statement each: the order of the mismatch lines must not be left to the compiler */
	unsigned bad = t_check_submitted(e, report);

	bad += t_check_cqes(e, report);
	bad += t_check_extra(e, report);
/* @if t_check_order */
	if (e->check_order)
		bad += e->check_order(e, report);
/* @endif */
/* @if t_check_spawn */
	if (e->spawn)
		bad += e->check_spawn(e->spawn, report);
/* @endif */
/* @if t_check_fds */
	if (e->check_fds)
		bad += e->check_fds(e, report);
/* @endif */
/* @if t_check_files */
	if (e->check_files)
		bad += e->check_files(e, report);
/* @endif */
/* @if t_check_streams */
	if (e->check_streams)
		bad += e->check_streams(e, report);
/* @endif */
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
/* @end */
