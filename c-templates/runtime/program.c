/* SPDX-License-Identifier: MIT */
/*
 * program.c: the executor's side of the exec form. t_program_parse reads one program in the line
 * encoding of c-templates/encodeExecForm.ts into the same structures a rendered reproducer declares
 * as tables (fixtures, struct t_expect, spawn expectations), and t_program_run runs it with the
 * same helpers a reproducer's main() calls, in the same order. The executor's generated part
 * defines t_set_slot() (struct io_uring_sqe members by slot index) and t_fixture_make() (the
 * fixture kinds of spec/fixtures.yaml by index).
 */

/* @section t_arena | includes: <stdlib.h> <string.h> */
/* a bump allocator for one program: everything it points at lives until t_arena_reset */
struct t_arena_chunk {
	struct t_arena_chunk *next;
	size_t used, size;
	char data[];
};

static struct t_arena_chunk *t_arena;

/* t_alloc: n zeroed bytes, aligned for any member; NULL when memory runs out */
static void *t_alloc(size_t n)
{
	struct t_arena_chunk *c = t_arena;
	size_t size;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->used + n > c->size) {
		size = n > 65536 ? n : 65536;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = t_arena;
		c->used = 0;
		c->size = size;
		t_arena = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

/* t_arena_reset: free everything the last program allocated */
static void t_arena_reset(void)
{
	while (t_arena) {
		struct t_arena_chunk *next = t_arena->next;

		free(t_arena);
		t_arena = next;
	}
}
/* @end */

/* @section t_program | needs: t_arena t_expect t_check_order t_spawn_expect t_check_spawn t_check_tasks t_check_reports t_fds_expect t_check_fds t_file_expect t_check_files t_stream_expect t_check_streams t_fixture t_require_opcodes t_run | includes: <stdlib.h> <string.h> <sys/uio.h> */
#define T_MAX_PROGRAM_FIXTURES 64
#define T_MAX_VALUES 12

/* generated with the executor from spec/fixtures.yaml and struct io_uring_sqe (c-templates/renderExecutor.ts) */
static int t_fixture_make(struct t_fixture *f, const char *name, int kind, const long long *args);
static void t_set_slot(struct io_uring_sqe *sqe, int slot, __u64 value);

enum t_value_kind { T_V_INT, T_V_FD, T_V_WFD, T_V_PATH, T_V_BUF, T_V_IOV, T_V_STR, T_V_TS, T_V_STRV, T_V_RESULT };

/* one field of an SQE: a number, or what the runtime resolves (a fixture's fd or path, data it points at) */
struct t_value {
	int slot;
	enum t_value_kind kind;
	__u64 num;
	void *data;
};

struct t_sqe_desc {
	__u64 user_data;
	__u8 opcode;
	__u8 flags;
	unsigned nr_values;
	struct t_value values[T_MAX_VALUES];
};

struct t_fixture_desc {
	int kind;
	const char *name;
	unsigned nr_args;
	long long *args;
};

/* an expectation set and the tables it points at */
struct t_expect_set {
	struct t_expect e;
	int setup_res;				/* io_uring_setup() must fail with this (0: it must succeed) */
	struct t_spawn_expect spawn;
	int *submitted;
	struct t_cqe_expect *cqes;
	struct t_order *order;
	struct t_task_expect *tasks;
	int *task_report;			/* report index of each task, -1 for none */
	struct t_report_expect *reports;
	unsigned nr_reports;
	struct t_submitter_expect submitter;	/* when has_submitter */
	struct t_buf_expect *bufs;
	struct t_fds_expect *fds;		/* "x" lines */
	struct t_file_expect *files;		/* "y" lines */
	struct t_stream_expect *streams;	/* "n" lines */
	int has_submitter;
	int present;
};

struct t_program {
	const char *id;
	unsigned reap_ms;
	int isolate;
	unsigned reaped;
	unsigned grace_ms;			/* after the last awaited CQE */
	unsigned task_grace_ms;			/* after the last spawned task ended */
	int has_after;				/* an "A" line: the request after the chain */
	int after_opcode;
	__u64 after_user_data;
	unsigned entries, ring_flags;
	unsigned cq_entries;			/* an "N" line: the CQ ring's size (IORING_SETUP_CQSIZE), else 0 */
	const char *ring_flag_names;
	int has_credentials;
	unsigned uid, gid;
	unsigned long nproc;
	struct t_opcode *probe;
	unsigned nr_probe;
	struct t_fixture_desc *fx;
	struct t_fixture *fixtures;
	unsigned nr_fixtures;
	struct t_sqe_desc *sqes;
	struct t_op_label *ops;
	unsigned nr_sqes;
	unsigned *batches;
	unsigned nr_batches;
	int *to_submit;				/* a "K" line: io_uring_enter()'s to_submit per batch (NULL: io_uring_submit()) */
	__u64 **settle;				/* settle[k]: user_data to wait for before batch k */
	unsigned *nr_settle;
	struct t_expect_set sets[2];		/* 0: what the spec expects, 1: a known divergence */
	const char *div_id, *div_reason;
	int div_predicted;
};

/* the line being parsed, cut into tokens in place */
struct t_cursor {
	char *p;
	int bad;
};

static char *t_tok(struct t_cursor *c)
{
	char *s;

	while (*c->p == ' ')
		c->p++;
	if (!*c->p) {
		c->bad = 1;
		return (char *)"";
	}
	s = c->p;
	while (*c->p && *c->p != ' ')
		c->p++;
	if (*c->p)
		*c->p++ = '\0';
	return s;
}

static long long t_num(struct t_cursor *c)
{
	char *s = t_tok(c), *end;
	long long n = strtoll(s, &end, 10);

	if (end == s || *end)
		c->bad = 1;
	return n;
}

static __u64 t_unum(struct t_cursor *c)
{
	char *s = t_tok(c), *end;
	unsigned long long n = strtoull(s, &end, 10);

	if (end == s || *end)
		c->bad = 1;
	return n;
}

/* t_hex: a hex string ("-" is the empty string) as a new NUL-terminated string */
static char *t_hex(struct t_cursor *c, const char *s)
{
	char *out, hex[3] = "";
	size_t i, n = strcmp(s, "-") ? strlen(s) : 0;

	out = t_alloc(n / 2 + 1);
	if (!out || n % 2) {
		c->bad = 1;
		return (char *)"";
	}
	for (i = 0; i < n / 2; i++) {
		hex[0] = s[2 * i];
		hex[1] = s[2 * i + 1];
		out[i] = (char)strtoul(hex, NULL, 16);
	}
	return out;
}

static char *t_str(struct t_cursor *c)
{
	return t_hex(c, t_tok(c));
}

/* t_count: a count token that must stay under max */
static unsigned t_count(struct t_cursor *c, unsigned max)
{
	long long n = t_num(c);

	if (n < 0 || (unsigned long long)n > max) {
		c->bad = 1;
		return 0;
	}
	return (unsigned)n;
}

static void *t_table(struct t_cursor *c, size_t each, unsigned nr)
{
	void *p = t_alloc(each * (nr ? nr : 1));

	if (!p)
		c->bad = 1;
	return p;
}

static void t_parse_value(struct t_cursor *c, struct t_program *p, struct t_value *v)
{
	char *kind;
	unsigned i, n;
	char **strv;
	struct __kernel_timespec *ts;
	struct iovec *iov;

	v->slot = (int)t_num(c);
	kind = t_tok(c);
	switch (kind[0]) {
	case 'i':
		v->kind = T_V_INT;
		v->num = t_unum(c);
		break;
	case 'f':
	case 'w':
	case 'p':
		v->kind = kind[0] == 'f' ? T_V_FD : kind[0] == 'w' ? T_V_WFD : T_V_PATH;
		v->num = t_count(c, p->nr_fixtures ? p->nr_fixtures - 1 : 0);
		if (!p->nr_fixtures)
			c->bad = 1;
		break;
	case 'r':
		/* the res of an earlier request's CQE (num: its user_data), read when the SQE is filled */
		v->kind = T_V_RESULT;
		v->num = t_unum(c);
		break;
	case 'b':
		v->kind = T_V_BUF;
		n = t_count(c, 1u << 24);
		v->num = n;	/* its size, for a buffer expectation */
		v->data = t_table(c, 1, n);
		break;
	case 'o':
		/* an iovec array: one zeroed buffer of each size */
		v->kind = T_V_IOV;
		n = t_count(c, 64);
		iov = v->data = t_table(c, sizeof(*iov), n);
		for (i = 0; iov && i < n; i++) {
			iov[i].iov_len = t_count(c, 1u << 16);
			iov[i].iov_base = t_table(c, 1, (unsigned)iov[i].iov_len);
		}
		break;
	case 's':
		v->kind = T_V_STR;
		v->data = t_str(c);
		break;
	case 't':
		v->kind = T_V_TS;
		ts = v->data = t_table(c, sizeof(*ts), 1);
		if (ts) {
			ts->tv_sec = t_num(c);
			ts->tv_nsec = t_num(c);
		}
		break;
	case 'v':
		v->kind = T_V_STRV;
		n = t_count(c, 4096);
		strv = v->data = t_table(c, sizeof(char *), n + 1);
		for (i = 0; strv && i < n; i++)
			strv[i] = t_str(c);
		break;
	default:
		c->bad = 1;
	}
}

/* t_parse_fd_refs: a count, then that many "<fixture index> <end>" pairs: fixture fds to check, by key */
static struct t_fd_ref *t_parse_fd_refs(struct t_cursor *c, struct t_program *p, unsigned *nr)
{
	unsigned i, n = t_count(c, T_MAX_PROGRAM_FIXTURES * 2);
	struct t_fd_ref *refs = t_table(c, sizeof(*refs), n);

	for (i = 0; refs && i < n; i++) {
		unsigned fx = t_count(c, p->nr_fixtures ? p->nr_fixtures - 1 : 0);
		char *end = t_tok(c);

		refs[i].key = p->fx[fx].name;
		refs[i].fd = end[0] == 'w' ? &p->fixtures[fx].wfd : &p->fixtures[fx].fd;
	}
	*nr = n;
	return refs;
}

static void t_parse_report(struct t_cursor *c, struct t_program *p, struct t_report_expect *r)
{
	struct t_str_list *lists[2] = { &r->argv, &r->envp };
	const char **v;
	unsigned i, k, n;
	const char *cwd;

	for (k = 0; k < 2; k++) {
		lists[k]->check = (int)t_num(c);
		n = t_count(c, 4096);
		v = t_table(c, sizeof(char *), n);
		for (i = 0; v && i < n; i++)
			v[i] = t_str(c);
		lists[k]->v = (const char *const *)v;
		lists[k]->nr = n;
	}
	cwd = t_tok(c);
	if (strcmp(cwd, "*"))
		r->cwd = t_hex(c, cwd);
	r->fds_open = t_parse_fd_refs(c, p, &r->nr_fds_open);
	r->fds_closed = t_parse_fd_refs(c, p, &r->nr_fds_closed);
	r->ring_fd_closed = (int)t_num(c);
	r->check_flags = (int)t_num(c);
	r->flags_clear = t_unum(c);
	r->flags_set = t_unum(c);
	r->exit_signal = (int)t_num(c);
	r->parent_is_submitter = (int)t_num(c);
	r->umask_of_submitter = (int)t_num(c);
	r->sigign_of_submitter = (int)t_num(c);
	r->sigblk = (enum t_of_submitter)t_count(c, T_MASK);
	r->sigblk_mask = t_unum(c);
	r->uid = (int)t_num(c);
	r->gid = (int)t_num(c);
	r->fds_installed = t_parse_fd_refs(c, p, &r->nr_fds_installed);
}

/* t_parse_submitter: a "u" line: the submitter's closed fixture fds, new fds, fs and children */
static void t_parse_submitter(struct t_cursor *c, struct t_program *p, struct t_submitter_expect *u)
{
	char *after;

	u->fds_closed = t_parse_fd_refs(c, p, &u->nr_fds_closed);
	u->opened_min = (unsigned)t_num(c);
	u->opened_max = (unsigned)t_num(c);
	u->fs_kept = (int)t_num(c);
	u->no_stray = (int)t_num(c);
	after = t_tok(c);
	if (strcmp(after, "-")) {
		u->check_after = 1;
		u->after_res = (int)strtol(after, NULL, 10);
	}
}

/* t_parse_runs: a count of at most max, then that many "<zero> <pattern> <len>" runs of bytes */
static const struct t_byte_run *t_parse_runs(struct t_cursor *c, unsigned max, unsigned *nr)
{
	unsigned i, n = t_count(c, max);
	struct t_byte_run *runs = t_table(c, sizeof(*runs), n);

	for (i = 0; runs && i < n; i++) {
		runs[i].zero = (int)t_num(c);
		runs[i].pattern = (unsigned)t_num(c);
		runs[i].len = (unsigned)t_num(c);
	}
	*nr = n;
	return runs;
}

/* t_parse_buf: an "m" line: the bytes the buffer of an SQE's field must hold */
static void t_parse_buf(struct t_cursor *c, struct t_program *p, struct t_buf_expect *b)
{
	unsigned i, j, slot;

	b->user_data = t_unum(c);
	slot = (unsigned)t_num(c);
	for (i = 0; i < p->nr_sqes && !b->buf; i++) {
		if (p->sqes[i].user_data != b->user_data)
			continue;
		for (j = 0; j < p->sqes[i].nr_values; j++) {
			const struct t_value *v = &p->sqes[i].values[j];

			if (v->slot == (int)slot && v->kind == T_V_BUF) {
				b->buf = v->data;
				b->size = v->num;
			}
		}
	}
	if (!b->buf)
		c->bad = 1;
	b->runs = t_parse_runs(c, 4096, &b->nr_runs);
}

/* t_parse_file: a "y" line: a file fixture's size after the chain, and its bytes when the spec knows them */
static void t_parse_file(struct t_cursor *c, struct t_program *p, struct t_file_expect *w)
{
	unsigned k;

	k = t_count(c, p->nr_fixtures ? p->nr_fixtures - 1 : 0);
	if (k >= p->nr_fixtures) {
		c->bad = 1;
		return;
	}
	w->name = p->fx[k].name;
	w->path = p->fixtures[k].path;
	w->size = t_num(c);
	w->check_bytes = (int)t_num(c);
	w->runs = t_parse_runs(c, 1u << 16, &w->nr_runs);
}

/* t_parse_stream: an "n" line: the bytes an end of a stream fixture can read after the chain */
static void t_parse_stream(struct t_cursor *c, struct t_program *p, struct t_stream_expect *w)
{
	unsigned k = t_count(c, p->nr_fixtures ? p->nr_fixtures - 1 : 0);
	char *end = t_tok(c);

	if (k >= p->nr_fixtures) {
		c->bad = 1;
		return;
	}
	w->name = p->fx[k].name;
	w->end = end[0] == 'w' ? "w" : "r";
	w->fd = end[0] == 'w' ? &p->fixtures[k].wfd : &p->fixtures[k].fd;
	w->avail = (int)t_num(c);
}

/* t_parse_fds: an "x" line: the ints a request stored in the buffer of an SQE's field */
static void t_parse_fds(struct t_cursor *c, struct t_program *p, struct t_fds_expect *w)
{
	struct t_fd_int *ints;
	unsigned i, j, slot, n;

	w->user_data = t_unum(c);
	slot = (unsigned)t_num(c);
	for (i = 0; i < p->nr_sqes && !w->buf; i++) {
		if (p->sqes[i].user_data != w->user_data)
			continue;
		for (j = 0; j < p->sqes[i].nr_values; j++) {
			const struct t_value *v = &p->sqes[i].values[j];

			if (v->slot == (int)slot && v->kind == T_V_BUF) {
				w->buf = v->data;
				w->size = v->num;
			}
		}
	}
	if (!w->buf)
		c->bad = 1;
	w->one_pipe = (int)t_num(c);
	n = t_count(c, 64);
	ints = t_table(c, sizeof(*ints), n);
	for (i = 0; ints && i < n; i++) {
		ints[i].is_fd = (int)t_num(c);
		ints[i].eq = ints[i].fl = (int)t_num(c);
		ints[i].cloexec = (int)t_num(c);
	}
	w->ints = ints;
	w->nr_ints = n;
}

/* t_set_finish: point tasks at their reports and the expectation at its tables */
static void t_set_finish(struct t_expect_set *s)
{
	unsigned i;

	for (i = 0; i < s->spawn.nr_tasks; i++)
		s->tasks[i].report = s->task_report[i] >= 0 && (unsigned)s->task_report[i] < s->nr_reports ? &s->reports[s->task_report[i]] : NULL;
	s->spawn.tasks = s->tasks;
	if (s->has_submitter) {
		s->submitter.bufs = s->bufs;
		s->spawn.submitter = &s->submitter;
	}
	if (s->spawn.nr_tasks || s->has_submitter) {
		s->e.spawn = &s->spawn;
		s->e.check_spawn = t_check_spawn;
	}
	if (s->e.nr_fds) {
		s->e.fds = s->fds;
		s->e.check_fds = t_check_fds;
	}
	if (s->e.nr_files) {
		s->e.files = s->files;
		s->e.check_files = t_check_files;
	}
	if (s->e.nr_streams) {
		s->e.streams = s->streams;
		s->e.check_streams = t_check_streams;
	}
}

/*
 * t_program_parse: one program, from its "P" line to its "Z" line (lines NUL-separated in text,
 * changed in place); 0, or -1 with *why set. Counts come before what they count, so every table
 * is allocated at its exact size.
 */
static int t_program_parse(char **lines, unsigned nr_lines, struct t_program *p, const char **why)
{
	struct t_expect_set *set = NULL;
	unsigned i, j, n, sqe = 0, fixture = 0, probe = 0;
	unsigned cqes = 0, orders = 0, tasks = 0, bufs = 0, stored = 0, files = 0, streams = 0;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	/* first pass: the sizes of every table */
	for (i = 0; i < nr_lines; i++) {
		switch (lines[i][0]) {
		case 'F': p->nr_fixtures++; break;
		case 'Q': p->nr_sqes++; break;
		case 'O': p->nr_probe++; break;
		}
	}
	if (p->nr_fixtures > T_MAX_PROGRAM_FIXTURES) {
		*why = "too many fixtures";
		return -1;
	}
	p->fx = t_alloc(sizeof(*p->fx) * (p->nr_fixtures + 1));
	p->fixtures = t_alloc(sizeof(*p->fixtures) * (p->nr_fixtures + 1));
	p->sqes = t_alloc(sizeof(*p->sqes) * (p->nr_sqes + 1));
	p->ops = t_alloc(sizeof(*p->ops) * (p->nr_sqes + 1));
	p->probe = t_alloc(sizeof(*p->probe) * (p->nr_probe + 1));
	if (!p->fx || !p->fixtures || !p->sqes || !p->ops || !p->probe) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < p->nr_fixtures; i++)
		p->fixtures[i].fd = p->fixtures[i].wfd = -1;
	for (i = 0; i < nr_lines && !*why; i++) {
		struct t_cursor c = { lines[i] + 1, 0 };
		char tag = lines[i][0];

		if (tag && lines[i][1] && lines[i][1] != ' ')
			c.bad = 1;
		switch (tag) {
		case 'P':
			p->id = t_str(&c);
			break;
		case 'T':
			p->reap_ms = (unsigned)t_num(&c);
			p->isolate = (int)t_num(&c);
			p->reaped = (unsigned)t_num(&c);
			p->grace_ms = (unsigned)t_num(&c);
			p->task_grace_ms = (unsigned)t_num(&c);
			break;
		case 'R':
			p->entries = (unsigned)t_num(&c);
			p->ring_flags = (unsigned)t_num(&c);
			p->ring_flag_names = t_str(&c);
			break;
		case 'N':
			p->cq_entries = t_count(&c, 65536);
			break;
		case 'C':
			p->has_credentials = 1;
			p->uid = (unsigned)t_num(&c);
			p->gid = (unsigned)t_num(&c);
			p->nproc = (unsigned long)t_num(&c);
			break;
		case 'O':
			p->probe[probe].op = (int)t_num(&c);
			p->probe[probe++].name = t_str(&c);
			break;
		case 'F': {
			struct t_fixture_desc *f = &p->fx[fixture++];

			f->kind = (int)t_num(&c);
			f->name = t_str(&c);
			f->nr_args = t_count(&c, 16);
			f->args = t_table(&c, sizeof(long long), f->nr_args);
			for (j = 0; f->args && j < f->nr_args; j++)
				f->args[j] = t_num(&c);
			break;
		}
		case 'Q': {
			struct t_sqe_desc *q = &p->sqes[sqe];

			q->user_data = t_unum(&c);
			q->opcode = (__u8)t_num(&c);
			q->flags = (__u8)t_num(&c);
			p->ops[sqe].user_data = q->user_data;
			p->ops[sqe++].op = t_str(&c);
			q->nr_values = t_count(&c, T_MAX_VALUES);
			for (j = 0; j < q->nr_values; j++)
				t_parse_value(&c, p, &q->values[j]);
			break;
		}
		case 'A':
			p->has_after = 1;
			p->after_opcode = (int)t_count(&c, 255);
			p->after_user_data = t_unum(&c);
			break;
		case 'B':
			p->nr_batches = t_count(&c, 1u << 16);
			p->batches = t_table(&c, sizeof(unsigned), p->nr_batches);
			p->settle = t_table(&c, sizeof(__u64 *), p->nr_batches);
			p->nr_settle = t_table(&c, sizeof(unsigned), p->nr_batches);
			for (j = 0; p->batches && j < p->nr_batches; j++)
				p->batches[j] = (unsigned)t_num(&c);
			break;
		case 'K':
			/* after its B line: one to_submit per batch */
			n = t_count(&c, 1u << 16);
			if (n != p->nr_batches) {
				c.bad = 1;
				break;
			}
			p->to_submit = t_table(&c, sizeof(int), n);
			for (j = 0; p->to_submit && j < n; j++)
				p->to_submit[j] = (int)t_count(&c, 1u << 16);
			break;
		case 'S': {
			unsigned k = t_count(&c, p->nr_batches ? p->nr_batches - 1 : 0);

			n = t_count(&c, 1u << 16);
			if (!p->settle) {
				c.bad = 1;
				break;
			}
			p->settle[k] = t_table(&c, sizeof(__u64), n);
			p->nr_settle[k] = n;
			for (j = 0; p->settle[k] && j < n; j++)
				p->settle[k][j] = t_unum(&c);
			break;
		}
		case 'E': {
			unsigned k = t_count(&c, 1);

			if (set)
				t_set_finish(set);
			set = &p->sets[k];
			set->present = 1;
			/* count this set's lines for its tables */
			cqes = orders = tasks = bufs = stored = files = streams = 0;
			for (j = i + 1; j < nr_lines && strchr("scotrumxyn", lines[j][0]) && lines[j][1] == ' '; j++) {
				streams += lines[j][0] == 'n';
				bufs += lines[j][0] == 'm';
				stored += lines[j][0] == 'x';
				files += lines[j][0] == 'y';
				cqes += lines[j][0] == 'c';
				orders += lines[j][0] == 'o';
				tasks += lines[j][0] == 't';
				set->nr_reports += lines[j][0] == 'r';
			}
			set->cqes = t_table(&c, sizeof(*set->cqes), cqes);
			set->order = t_table(&c, sizeof(*set->order), orders);
			set->tasks = t_table(&c, sizeof(*set->tasks), tasks);
			set->task_report = t_table(&c, sizeof(int), tasks);
			set->reports = t_table(&c, sizeof(*set->reports), set->nr_reports);
			set->bufs = t_table(&c, sizeof(*set->bufs), bufs);
			set->fds = t_table(&c, sizeof(*set->fds), stored);
			set->files = t_table(&c, sizeof(*set->files), files);
			set->streams = t_table(&c, sizeof(*set->streams), streams);
			set->e.cqes = set->cqes;
			set->e.order = set->order;
			set->e.check_order = t_check_order;
			set->nr_reports = 0;
			break;
		}
		case 'g':
			if (!set) {
				c.bad = 1;
				break;
			}
			set->setup_res = (int)t_num(&c);
			break;
		case 's':
			if (!set) {
				c.bad = 1;
				break;
			}
			n = t_count(&c, 1u << 16);
			set->submitted = t_table(&c, sizeof(int), n);
			for (j = 0; set->submitted && j < n; j++)
				set->submitted[j] = (int)t_num(&c);
			set->e.submitted = set->submitted;
			set->e.nr_submitted = n;
			break;
		case 'c': {
			struct t_cqe_expect *w;

			if (!set) {
				c.bad = 1;
				break;
			}
			w = &set->cqes[set->e.nr_cqes++];
			w->user_data = t_unum(&c);
			w->kind = (enum t_res_kind)t_count(&c, T_RES_ABSENT);
			w->check_flags = (int)t_num(&c);
			w->flags = (__u32)t_num(&c);
			w->nr_res = t_count(&c, T_MAX_ONE_OF);
			for (j = 0; j < w->nr_res; j++)
				w->res[j] = (__s32)t_num(&c);
			break;
		}
		case 'o':
			if (!set) {
				c.bad = 1;
				break;
			}
			set->order[set->e.nr_order].before = t_unum(&c);
			set->order[set->e.nr_order++].after = t_unum(&c);
			break;
		case 't': {
			struct t_task_expect *t;

			if (!set) {
				c.bad = 1;
				break;
			}
			t = &set->tasks[set->spawn.nr_tasks];
			t->head = t_unum(&c);
			t->outcome = (enum t_task_outcome)t_count(&c, T_TASK_NONE);
			t->exit = (int)t_num(&c);
			set->task_report[set->spawn.nr_tasks++] = (int)t_num(&c);
			t->reap = (enum t_reap_how)t_count(&c, T_REAP_WALL);
			t->sigchld = (int)t_num(&c);
			break;
		}
		case 'u':
			if (!set) {
				c.bad = 1;
				break;
			}
			set->has_submitter = 1;
			t_parse_submitter(&c, p, &set->submitter);
			break;
		case 'm':
			if (!set || !set->bufs) {
				c.bad = 1;
				break;
			}
			t_parse_buf(&c, p, &set->bufs[set->submitter.nr_bufs++]);
			break;
		case 'n':
			if (!set || !set->streams) {
				c.bad = 1;
				break;
			}
			t_parse_stream(&c, p, &set->streams[set->e.nr_streams++]);
			break;
		case 'y':
			if (!set || !set->files) {
				c.bad = 1;
				break;
			}
			t_parse_file(&c, p, &set->files[set->e.nr_files++]);
			break;
		case 'x':
			if (!set || !set->fds) {
				c.bad = 1;
				break;
			}
			t_parse_fds(&c, p, &set->fds[set->e.nr_fds++]);
			break;
		case 'r':
			if (!set) {
				c.bad = 1;
				break;
			}
			t_parse_report(&c, p, &set->reports[set->nr_reports++]);
			break;
		case 'D':
			if (set)
				t_set_finish(set);
			set = NULL;
			p->div_id = t_str(&c);
			p->div_reason = t_str(&c);
			p->div_predicted = (int)t_num(&c);
			break;
		case 'Z':
			break;
		default:
			c.bad = 1;
		}
		if (c.bad && !*why)
			*why = "a line the program encoding does not have";
	}
	if (set)
		t_set_finish(set);
	if (!*why && (!p->id || !p->sets[0].present || !p->nr_batches))
		*why = "a program without its P, B or E 0 line";
	return *why ? -1 : 0;
}
/* @end */

/* @section t_run_reset | needs: t_run */
/* t_run_reset: a fresh run log for the next program in the same process (the arrays need no clearing: their counts say what is there) */
static void t_run_reset(void)
{
	t_run.name = NULL;
	t_run.ops = NULL;
	t_run.nr_ops = 0;
	t_run.nr_submitted = 0;
	t_run.nr_cqes = 0;
	t_run.nr_mismatches = 0;
	t_run.skip_reason[0] = '\0';
	t_run.divergence = NULL;
	t_run.print_more = NULL;
}
/* @end */

/* @section t_program_run | needs: t_program t_tmpdir_path t_ignore_sigpipe t_ring_setup t_get_sqe t_submit t_reap t_settle t_tasks_settle t_verdict t_result_print t_reap_children t_take_posted t_ring_setup_refused t_spawn t_spawn_collect t_check_spawn t_ring_after t_drop_credentials t_fixtures_close t_result_of t_submit_n | includes: <stdint.h> <stdio.h> <unistd.h> */
/* t_value_of: what a field value is when the SQE is filled: a number, a fixture's fd or path, an earlier CQE's res, or a pointer */
static __u64 t_value_of(const struct t_program *p, const struct t_value *v)
{
	switch (v->kind) {
	case T_V_INT:
		return v->num;
	case T_V_FD:
		return (__u64)(__s64)p->fixtures[v->num].fd;
	case T_V_WFD:
		return (__u64)(__s64)p->fixtures[v->num].wfd;
	case T_V_PATH:
		return (__u64)(uintptr_t)p->fixtures[v->num].path;
	case T_V_RESULT:
		return (__u64)(__s64)t_result_of(v->num);
	default:
		return (__u64)(uintptr_t)v->data;
	}
}

/* t_program_submit: fill the SQEs of batch k from desc, then io_uring_submit them (or io_uring_enter() with its to_submit) */
static int t_program_submit(struct io_uring *ring, const struct t_program *p, unsigned k, unsigned first, unsigned n)
{
	unsigned i, j;

	for (i = first; i < first + n; i++) {
		const struct t_sqe_desc *d = &p->sqes[i];
		struct io_uring_sqe *sqe = t_get_sqe(ring, d->user_data);

		if (!sqe)
			return 1;
		sqe->opcode = d->opcode;
		sqe->flags = d->flags;
		sqe->user_data = d->user_data;
		for (j = 0; j < d->nr_values; j++)
			t_set_slot(sqe, d->values[j].slot, t_value_of(p, &d->values[j]));
	}
	if (p->to_submit)
		t_submit_n(ring, (unsigned)p->to_submit[k]);
	else
		t_submit(ring);
	return 0;
}

/*
 * t_program_run: what a reproducer's main() does, from data: temp dir (made by the caller, or
 * none), ring, probe, fixtures, credentials, report pipe, each submission after what the earlier
 * ones settle, reaping, tasks, verdict, cleanup, and the result line. Returns the exit code.
 */
static int t_program_run(struct t_program *p)
{
	const struct t_expect *div = p->sets[1].present ? &p->sets[1].e : NULL;
	struct io_uring ring;
	unsigned i, first = 0;
	int ret;

	t_run.name = p->id;
	t_run.grace_ms = p->grace_ms;
	t_run.ops = p->ops;
	t_run.nr_ops = p->nr_sqes;
	if (p->sets[0].setup_res) {
		ret = t_ring_setup_refused(p->entries, p->ring_flags, p->ring_flag_names, p->sets[0].setup_res);
		t_result_print(ret);
		return ret;
	}
	t_ring_cq_entries = p->cq_entries;
	ret = t_ring_setup(&ring, p->entries, p->ring_flags, p->ring_flag_names);
	if (ret)
		goto out;
	ret = t_require_opcodes(&ring, p->probe, p->nr_probe);
	if (ret)
		goto out_ring;
	for (i = 0; i < p->nr_fixtures && !ret; i++)
		ret = t_fixture_make(&p->fixtures[i], p->fx[i].name, p->fx[i].kind, p->fx[i].args);
	if (ret)
		goto out_ring;
	if (p->has_credentials) {
		ret = t_drop_credentials(p->uid, p->gid, p->nproc);
		if (ret)
			goto out_ring;
	}
	if (p->sets[0].e.spawn || div) {
		ret = t_spawn_begin();
		if (ret)
			goto out_ring;
	}
	for (i = 0; i < p->nr_batches; i++) {
		if (p->nr_settle[i])
			t_settle(&ring, p->settle[i], p->nr_settle[i], p->reap_ms);
		if (t_program_submit(&ring, p, i, first, p->batches[i])) {
			ret = T_EXIT_FAIL;
			goto out_ring;
		}
		first += p->batches[i];
	}
	t_reap(&ring, &p->sets[0].e, p->reap_ms);
	if (t_spawn.report_fd >= 0) {
		t_run.grace_ms = p->task_grace_ms;
		t_spawn_collect(p->reaped, p->reap_ms);
		/* the CQE grace may have been shorter than the tasks took: take what came meanwhile */
		t_take_posted(&ring);
	}
	if (p->has_after)
		t_ring_after(&ring, p->after_opcode, p->after_user_data, p->reap_ms);
	ret = t_verdict(&p->sets[0].e, p->div_predicted ? div : NULL, p->div_id, p->div_reason);
out_ring:
	io_uring_queue_exit(&ring);
out:
	t_fixtures_close(p->fixtures, p->nr_fixtures);
	t_reap_children();
	t_result_print(ret);
	return ret;
}
/* @end */
