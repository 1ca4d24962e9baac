/* SPDX-License-Identifier: MIT */
/*
 * ring.c: ring setup, the opcode probe, SQE get/submit and reaping with a deadline.
 */

/* @section t_ring_setup | needs: t_skip t_mismatch t_res_text | includes: <stdio.h> <string.h> */
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
/* @end */

/* @section t_ring_setup_refused | needs: t_skip t_mismatch t_res_text | includes: <stdio.h> <string.h> */
/* a ring io_uring_setup() must refuse: it fails with want and makes no ring */
static int t_ring_setup_refused(unsigned entries, unsigned flags, const char *flag_names, int want)
{
	struct io_uring_params p;
	struct io_uring ring;
	char got[48], exp[48];
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	ret = io_uring_queue_init_params(entries, &ring, &p);
	if (ret == want)
		return T_EXIT_PASS;
	if (!ret)
		io_uring_queue_exit(&ring);
	if (ret == -ENOSYS || ret == -EPERM) {
		t_skip("io_uring not available (%s)", t_res_text(got, sizeof(got), ret));
		return T_EXIT_SKIP;
	}
	t_mismatch("setup: io_uring_queue_init_params(%u, %s): %s, expected %s", entries, flag_names,
		   t_res_text(got, sizeof(got), ret), t_res_text(exp, sizeof(exp), want));
	return T_EXIT_FAIL;
}
/* @end */

/* @section t_require_opcodes | needs: t_skip | includes: <stdio.h> */
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
/* @end */

/* @section t_get_sqe | needs: t_mismatch | includes: <string.h> */
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
/* @end */

/* @section t_sqe | needs: t_get_sqe */
/* t_get_sqe, or else a spare one that is never submitted: the mismatch t_get_sqe logged fails the case */
static struct io_uring_sqe *t_sqe(struct io_uring *ring, __u64 user_data)
{
	static struct io_uring_sqe spare;
	struct io_uring_sqe *sqe = t_get_sqe(ring, user_data);

	return sqe ? sqe : &spare;
}
/* @end */

/* @section t_submit | needs: t_run | includes: <time.h> */
static int t_submit(struct io_uring *ring)
{
	int ret = io_uring_submit(ring);
/* @if f_setup_flags */
	struct timespec pause = { 0, 1000000 };
	int waited;
/* @endif */

	if (t_run.nr_submitted < T_MAX_SUBMITS)
		t_run.submitted[t_run.nr_submitted++] = ret;
/* @if f_setup_flags */
	/* an SQPOLL thread consumes the SQ on its own time: wait (up to 2 s) until it took everything, else two submissions could be one */
	for (waited = 0; (ring->flags & IORING_SETUP_SQPOLL) && io_uring_sq_ready(ring) && waited < 2000; waited++)
		nanosleep(&pause, NULL);
/* @endif */
	return ret;
}
/* @end */

/* @section t_submit_n | needs: t_run | includes: <errno.h> <sys/syscall.h> <unistd.h> */
/*
 * t_submit_n: io_uring_enter(to_submit) with every SQE got so far published to the SQ ring, as liburing's
 * __io_uring_flush_sq() publishes them before io_uring_submit()'s enter: the kernel consumes at most
 * to_submit of them (io_submit_sqes(): min(nr, entries)); the rest stay in the ring for the next enter.
 */
static int t_submit_n(struct io_uring *ring, unsigned to_submit)
{
	int ret;

	ring->sq.sqe_head = ring->sq.sqe_tail;
	io_uring_smp_store_release(ring->sq.ktail, ring->sq.sqe_tail);
	ret = (int)syscall(__NR_io_uring_enter, ring->ring_fd, to_submit, 0, 0, NULL, 0);
	if (ret < 0)
		ret = -errno;
	if (t_run.nr_submitted < T_MAX_SUBMITS)
		t_run.submitted[t_run.nr_submitted++] = ret;
	return ret;
}
/* @end */

/* @section t_now_ms | includes: <time.h> */
static long long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
/* @end */

/* @section t_reap | needs: t_expect t_find_cqe t_now_ms t_mismatch t_res_text | includes: <errno.h> */
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
/* @end */

/* @section t_result_of | needs: t_run */
/*
 * t_result_of: the res of the CQE of user_data taken so far (the fd an earlier OPENAT returned), read when a
 * later batch is filled; -1, no fd, when none came (the settle before the batch missed it, and says so)
 */
static int t_result_of(__u64 user_data)
{
	unsigned i;

	for (i = 0; i < t_run.nr_cqes && i < T_MAX_CQES; i++)
		if (t_run.cqes[i].user_data == user_data)
			return t_run.cqes[i].res;
	return -1;
}
/* @end */

/* @section t_take_posted | needs: t_reap t_mismatch t_res_text | includes: <errno.h> */
/* take every CQE already posted, after one enter that runs pending task work: a look, not a wait */
static void t_take_posted(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	char res[48];
	int ret = io_uring_get_events(ring);

	if (ret < 0 && ret != -EINTR)
		t_mismatch("reap: io_uring_get_events: %s", t_res_text(res, sizeof(res), ret));
	while (!io_uring_peek_cqe(ring, &cqe)) {
		t_record_cqe(cqe);
		io_uring_cqe_seen(ring, cqe);
	}
}
/* @end */

/* @section t_tasks_settle | needs: t_now_ms | includes: <dirent.h> <errno.h> <signal.h> <stdio.h> <stdlib.h> <string.h> <sys/wait.h> <time.h> <unistd.h> */
#define T_TASK_POLL_NS 1000000

/*
 * 1 when a task we spawned may not have taken its link from its CLONE request
 * yet: it has not exec'd (its comm is still ours, or an "iou-" one) and it is runnable or in an
 * uninterruptible sleep (the uring_lock it takes first). A task that sleeps interruptibly is
 * blocked in a member, so it is past that point (RFC 7/9 io_uring_spawn_task(): mutex_lock(), then
 * c->link); one that exec'd or ended is done with it.
 */
static int t_task_on_its_way(pid_t parent, const char *self)
{
	char path[sizeof(((struct dirent *)0)->d_name) + 16], buf[512], *comm, *end;
	struct dirent *de;
	int busy = 0;
	DIR *d;
	FILE *f;

	d = opendir("/proc");
	if (!d)
		return 0;
	while (!busy && (de = readdir(d))) {
		char state;
		int ppid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		buf[0] = '\0';
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		comm = strchr(buf, '(');
		end = strrchr(buf, ')');
		if (!comm || !end || end < comm || sscanf(end + 1, " %c %d", &state, &ppid) != 2 || ppid != parent)
			continue;
		*end = '\0';
		comm++;
		if (strcmp(comm, self) && strncmp(comm, "iou-", 4))
			continue;
		busy = state == 'R' || state == 'D';
	}
	closedir(d);
	return busy;
}

/* until deadline, wait while a task we spawned is still on its way to its chain */
static void t_tasks_settle(long long deadline)
{
	struct timespec poll_ns = { 0, T_TASK_POLL_NS };
	char self[64] = "";
	siginfo_t si;
	FILE *f;

	/* no child at all (nothing was spawned): nothing to wait for, and no walk of /proc */
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 && errno == ECHILD)
		return;
	f = fopen("/proc/self/comm", "r");
	if (f) {
		if (fgets(self, sizeof(self), f))
			self[strcspn(self, "\n")] = '\0';
		fclose(f);
	}
	while (t_now_ms() < deadline && t_task_on_its_way(getpid(), self))
		nanosleep(&poll_ns, NULL);
}
/* @end */

/* @section t_settle | needs: t_reap */
/*
 * Before the next submission, take CQEs until those of every user_data in uds came,
 * or timeout_ms passed (then the checks name what is missing). They go to the run log like any.
 * Then, the same deadline at most, wait until every task a CLONE spawned has taken its chain
 * (t_tasks_settle), so that the next submission meets it blocked in a member or done, whatever
 * the scheduler did: a case's verdict must not depend on which of the two ran first.
 */
static void t_settle(struct io_uring *ring, const __u64 *uds, unsigned nr, unsigned timeout_ms)
{
	long long deadline = t_now_ms() + timeout_ms;
	unsigned i;

	for (;;) {
		for (i = 0; i < nr && t_find_cqe_nth(uds[i], 0); i++)
			;
		if (i == nr || t_now_ms() >= deadline || t_wait_cqe(ring, deadline, "settle") < 0)
			break;
	}
/* @if t_tasks_settle */
	t_tasks_settle(deadline);
/* @endif */
}
/* @end */
