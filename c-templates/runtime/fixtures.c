/* SPDX-License-Identifier: MIT */
/*
 * fixtures.c: pipes, files, dirs and closed fds that SQEs point at. Each is created in
 * the current dir (the case's temp dir) under the fixture's name. An fd is O_CLOEXEC only
 * when the case asks: a program that a spawned task execs inherits the others, unless the
 * chain closes them.
 */

/* @section t_fixture | needs: t_exit | includes: <limits.h> */
/* a fixture: its fds (-1 when it has none) and its path relative to the temp dir */
struct t_fixture {
	int fd;			/* file, dir, closed-fd; the read end of a pipe */
	int wfd;		/* the write end of a pipe */
	int not_fd;		/* fd holds an id (a personality), not an fd to close */
	char path[PATH_MAX];
};
/* @end */

/* @section t_write_pattern | includes: <errno.h> <unistd.h> */
/* t_write_pattern: write n bytes of the known pattern, byte k = 'a' + k % 26 */
static int t_write_pattern(int fd, size_t n)
{
	char chunk[4096];
	size_t i, done = 0, len;
	ssize_t ret;

	while (done < n) {
		len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		for (i = 0; i < len; i++)
			chunk[i] = 'a' + (done + i) % 26;
		ret = write(fd, chunk, len);
		if (ret <= 0) {
			if (!ret)
				errno = EIO;
			return -1;
		}
		done += ret;
	}
	return 0;
}
/* @end */

/* @section t_fixture_pipe | needs: t_fixture t_write_pattern t_setup_fail | includes: <fcntl.h> <unistd.h> */
/* t_fixture_pipe: a pipe holding `bytes` bytes of the pattern, its write end closed if asked */
static int t_fixture_pipe(struct t_fixture *f, const char *name, unsigned bytes, int writer_closed, int cloexec)
{
	int fds[2], size;

	if (pipe2(fds, cloexec ? O_CLOEXEC : 0))
		return t_setup_fail(name, "pipe");
	f->fd = fds[0];
	f->wfd = fds[1];
	size = fcntl(f->wfd, F_GETPIPE_SZ);
	if (size >= 0 && bytes > (unsigned)size && fcntl(f->wfd, F_SETPIPE_SZ, bytes) < 0)
		return t_setup_fail(name, "F_SETPIPE_SZ");
	/* O_NONBLOCK while filling, so an overfull pipe fails here instead of hanging */
	if (fcntl(f->wfd, F_SETFL, O_NONBLOCK) || t_write_pattern(f->wfd, bytes) || fcntl(f->wfd, F_SETFL, 0))
		return t_setup_fail(name, "filling the pipe");
	if (writer_closed) {
		close(f->wfd);
		f->wfd = -1;
	}
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_socketpair | needs: t_fixture t_write_pattern t_setup_fail | includes: <fcntl.h> <sys/socket.h> <unistd.h> */
/*
 * t_fixture_socketpair: an AF_UNIX SOCK_STREAM socketpair; fd is the case's end, wfd its peer, which has
 * written `bytes` bytes of the pattern (readable at fd) and is closed if asked
 */
static int t_fixture_socketpair(struct t_fixture *f, const char *name, unsigned bytes, int peer_closed, int cloexec)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | (cloexec ? SOCK_CLOEXEC : 0), 0, sv))
		return t_setup_fail(name, "socketpair");
	f->fd = sv[0];
	f->wfd = sv[1];
	/* O_NONBLOCK while filling, so a full socket buffer fails here instead of hanging */
	if (fcntl(f->wfd, F_SETFL, O_NONBLOCK) || t_write_pattern(f->wfd, bytes) || fcntl(f->wfd, F_SETFL, 0))
		return t_setup_fail(name, "filling the socket");
	if (peer_closed) {
		close(f->wfd);
		f->wfd = -1;
	}
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_file | needs: t_fixture t_write_pattern t_setup_fail | includes: <fcntl.h> <stdio.h> <sys/stat.h> <unistd.h> */
/* t_fixture_file: a file of `size` pattern bytes with this mode, open O_RDWR at offset 0 (O_CLOEXEC if asked) */
static int t_fixture_file(struct t_fixture *f, const char *name, unsigned size, mode_t mode, int cloexec)
{
	snprintf(f->path, sizeof(f->path), "%s", name);
	f->fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | (cloexec ? O_CLOEXEC : 0), mode);
	if (f->fd < 0)
		return t_setup_fail(name, "open");
	/* fchmod, so that the umask does not change the mode */
	if (fchmod(f->fd, mode) || t_write_pattern(f->fd, size) || lseek(f->fd, 0, SEEK_SET))
		return t_setup_fail(name, "writing the file");
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_dir | needs: t_fixture t_setup_fail | includes: <fcntl.h> <stdio.h> <sys/stat.h> */
/* t_fixture_dir: an empty directory, or with self the temp dir itself ("."), open O_RDONLY | O_DIRECTORY (O_CLOEXEC if asked) */
static int t_fixture_dir(struct t_fixture *f, const char *name, int self, int cloexec)
{
	snprintf(f->path, sizeof(f->path), "%s", self ? "." : name);
	if (!self && mkdir(f->path, 0755))
		return t_setup_fail(name, "mkdir");
	f->fd = open(f->path, O_RDONLY | O_DIRECTORY | (cloexec ? O_CLOEXEC : 0));
	if (f->fd < 0)
		return t_setup_fail(name, "open");
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_closed_fd | needs: t_fixture t_mismatch t_setup_fail | includes: <errno.h> <fcntl.h> <unistd.h> */
/* closed-fd fixtures use fd numbers from here up, far above what the case opens */
#define T_CLOSED_FD_BASE 900

/* t_fixture_closed_fd: an fd number that is surely closed: dup'ed onto, closed, then checked */
static int t_fixture_closed_fd(struct t_fixture *f, const char *name, int index)
{
	int nr = T_CLOSED_FD_BASE + index;
	int fd = open("/dev/null", O_RDONLY);

	if (fd < 0)
		return t_setup_fail(name, "open /dev/null");
	/* dup2 fails past RLIMIT_NOFILE, where the number is closed anyway */
	if (dup2(fd, nr) == nr)
		close(nr);
	close(fd);
	if (fcntl(nr, F_GETFD) != -1 || errno != EBADF) {
		t_mismatch("setup: %s: fd %d is still open", name, nr);
		return T_EXIT_FAIL;
	}
	/* closing it again at cleanup is harmless: nothing the case does opens an fd this high */
	f->fd = nr;
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_files | needs: t_fixture t_ring_setup t_mismatch t_setup_fail | includes: <errno.h> */
#define T_FILES_NAMED_SLOTS 4
#define T_FILES_MAX 64

/* t_fixture_slot_fd: the fd a slot param names (2 * fixture index + 1 for a pipe's write end), -1 for none */
static int t_fixture_slot_fd(const struct t_fixture *base, int ref)
{
	if (ref < 0)
		return -1;
	return ref & 1 ? base[ref / 2].wfd : base[ref / 2].fd;
}

/*
 * t_fixture_files: register the ring's file table of nr slots, slot k holding the fd slot_refs[k]
 * names; sparse: register it empty, then fill the named slots one by one with a files update
 */
static int t_fixture_files(struct t_fixture *f, const char *name, int index, unsigned nr, int sparse,
			   int s0, int s1, int s2, int s3)
{
	const struct t_fixture *base = f - index;
	int refs[T_FILES_NAMED_SLOTS] = { s0, s1, s2, s3 };
	int fds[T_FILES_MAX];
	unsigned k;
	int ret;

	if (nr > T_FILES_MAX) {
		t_mismatch("setup: %s: %u slots, at most %d", name, nr, T_FILES_MAX);
		return T_EXIT_FAIL;
	}
	for (k = 0; k < nr; k++)
		fds[k] = k < T_FILES_NAMED_SLOTS ? t_fixture_slot_fd(base, refs[k]) : -1;
	if (!sparse) {
		ret = io_uring_register_files(t_setup_ring, fds, nr);
	} else {
		ret = io_uring_register_files_sparse(t_setup_ring, nr);
		for (k = 0; !ret && k < nr; k++) {
			if (fds[k] < 0)
				continue;
			ret = io_uring_register_files_update(t_setup_ring, k, &fds[k], 1);
			ret = ret == 1 ? 0 : ret < 0 ? ret : -EIO;
		}
	}
	if (ret < 0) {
		errno = -ret;
		return t_setup_fail(name, sparse ? "registering the sparse file table" : "io_uring_register_files");
	}
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_own_ring | needs: t_fixture t_ring_setup t_mismatch | includes: <stdio.h> */
/* t_fixture_own_ring: the case's own ring: fd is its io_uring fd, which the ring's teardown closes, not the fixtures' */
static int t_fixture_own_ring(struct t_fixture *f, const char *name)
{
	if (!t_setup_ring) {
		t_mismatch("setup: %s: no ring set up yet", name);
		return T_EXIT_FAIL;
	}
	f->fd = t_setup_ring->ring_fd;
	f->not_fd = 1;
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_ring | needs: t_fixture t_setup_fail | includes: <errno.h> <string.h> <sys/syscall.h> <unistd.h> */
/*
 * t_fixture_ring: another io_uring (4 entries, no mapping: only its fd is used) with, when files > 0, a registered
 * file table of that many empty slots (every fd -1)
 */
static int t_fixture_ring(struct t_fixture *f, const char *name, unsigned files)
{
	struct io_uring_params p;
	int fds[64];
	unsigned k;

	memset(&p, 0, sizeof(p));
	f->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (f->fd < 0)
		return t_setup_fail(name, "io_uring_setup");
	if (!files)
		return T_EXIT_PASS;
	if (files > sizeof(fds) / sizeof(fds[0])) {
		errno = EINVAL;
		return t_setup_fail(name, "file table size");
	}
	for (k = 0; k < files; k++)
		fds[k] = -1;
	if (syscall(__NR_io_uring_register, f->fd, IORING_REGISTER_FILES, fds, files) < 0)
		return t_setup_fail(name, "registering its file table");
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixtures_close | needs: t_fixture | includes: <unistd.h> */
/* t_fixtures_close: close every fd the fixtures hold */
static void t_fixtures_close(struct t_fixture *fx, unsigned nr)
{
	unsigned i;

	for (i = 0; i < nr; i++) {
		if (fx[i].fd >= 0 && !fx[i].not_fd)
			close(fx[i].fd);
		if (fx[i].wfd >= 0)
			close(fx[i].wfd);
		fx[i].fd = fx[i].wfd = -1;
	}
}
/* @end */
