/* SPDX-License-Identifier: MIT */
/*
 * Description: the bench's baseline: the least a loop can do per 3-NOP chain, with nothing checked
 * or reported. "reuse": one ring, submit 3 linked NOPs and reap their CQEs, N times. "fork": per
 * chain, fork a child that sets up a ring, submits and reaps the chain and exits; wait for it.
 * Prints "<chains> <seconds>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "liburing.h"

static int chain(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int i;

	for (i = 0; i < 3; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_nop(sqe);
		sqe->flags = i < 2 ? IOSQE_IO_LINK : 0;
		sqe->user_data = i + 1;
	}
	if (io_uring_submit(ring) != 3)
		return 1;
	for (i = 0; i < 3; i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			return 1;
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

static int fresh_ring_chain(void)
{
	struct io_uring ring;
	int ret;

	if (io_uring_queue_init(8, &ring, 0))
		return 1;
	ret = chain(&ring);
	io_uring_queue_exit(&ring);
	return ret;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct io_uring ring;
	long n, i;
	int fork_mode;

	if (argc != 3)
		return 2;
	fork_mode = !strcmp(argv[1], "fork");
	n = atol(argv[2]);
	if (!fork_mode && io_uring_queue_init(8, &ring, 0))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		if (fork_mode) {
			pid_t pid = fork();
			int st;

			if (!pid)
				_exit(fresh_ring_chain());
			if (pid < 0 || waitpid(pid, &st, 0) != pid || st)
				return 1;
		} else if (chain(&ring)) {
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld %.6f\n", n, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
