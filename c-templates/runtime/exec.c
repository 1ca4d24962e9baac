/* SPDX-License-Identifier: MIT */
/*
 * exec.c: paths for IORING_OP_EXEC to run: copies of the exec helper (helper/helper.c), and
 * paths that make execveat fail in a known way, all in the temp dir under the fixture's name.
 */

/* @section t_write_file | needs: t_setup_fail | includes: <fcntl.h> <sys/stat.h> <unistd.h> */
/* t_write_file: create path with exactly these bytes and this mode */
static int t_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);

	if (fd < 0)
		return t_setup_fail(path, "open");
	if (fchmod(fd, mode) || write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return t_setup_fail(path, "write");
	}
	close(fd);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_exec_helper | needs: t_skip t_mismatch | includes: <stdio.h> <stdlib.h> <unistd.h> */
/* where the exec helper is when $URINGSPEC_HELPER is unset: the guest's initramfs puts it there */
#define T_HELPER_DEFAULT "/uringspec/helper"

/* t_exec_helper: the helper binary named by $URINGSPEC_HELPER, else T_HELPER_DEFAULT; skip when there is none */
static int t_exec_helper(char *path, size_t len)
{
	const char *helper = getenv("URINGSPEC_HELPER");

	if (!helper || !*helper) {
		if (access(T_HELPER_DEFAULT, X_OK)) {
			t_skip("no exec helper (set URINGSPEC_HELPER)");
			return T_EXIT_SKIP;
		}
		helper = T_HELPER_DEFAULT;
	}
	if (helper[0] != '/' || access(helper, X_OK)) {
		t_mismatch("setup: URINGSPEC_HELPER=%s: not an absolute path to an executable", helper);
		return T_EXIT_FAIL;
	}
	snprintf(path, len, "%s", helper);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_copy_helper | needs: t_exec_helper t_setup_fail | includes: <fcntl.h> <limits.h> <stdio.h> <sys/stat.h> <unistd.h> */
/*
 * t_copy_helper: put the exec helper at dst (a hard link when it can, else a copy, mode 0755) and
 * write <dst>.exit, the exit code that copy reads (helper/helper.c looks beside /proc/self/exe).
 */
static int t_copy_helper(const char *dst, int exit_code)
{
	char src[PATH_MAX], buf[65536], text[16], exit_path[PATH_MAX + 8];
	int in, out, ret, len;
	ssize_t n = 0;

	ret = t_exec_helper(src, sizeof(src));
	if (ret)
		return ret;
	if (link(src, dst)) {
		in = open(src, O_RDONLY);
		if (in < 0)
			return t_setup_fail(src, "open");
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0755);
		if (out < 0) {
			close(in);
			return t_setup_fail(dst, "open");
		}
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				break;
		close(in);
		/* close before anyone execs it: a file open for writing cannot be run (ETXTBSY) */
		if (n != 0 || fchmod(out, 0755) || close(out))
			return t_setup_fail(dst, "copying the exec helper");
	}
	snprintf(exit_path, sizeof(exit_path), "%s.exit", dst);
	out = open(exit_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	len = snprintf(text, sizeof(text), "%d\n", exit_code);
	if (out < 0 || write(out, text, len) != len) {
		if (out >= 0)
			close(out);
		return t_setup_fail(exit_path, "write");
	}
	close(out);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_exec_helper | needs: t_fixture t_copy_helper t_setup_fail | includes: <fcntl.h> <stdio.h> */
/* t_fixture_exec_helper: the exec helper, exiting with exit_code, also open O_RDONLY (for AT_EMPTY_PATH; O_CLOEXEC if asked) */
static int t_fixture_exec_helper(struct t_fixture *f, const char *name, int exit_code, int cloexec)
{
	int ret;

	snprintf(f->path, sizeof(f->path), "%s", name);
	ret = t_copy_helper(f->path, exit_code);
	if (ret)
		return ret;
	f->fd = open(f->path, O_RDONLY | (cloexec ? O_CLOEXEC : 0));
	if (f->fd < 0)
		return t_setup_fail(name, "open");
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_exec_missing | needs: t_fixture | includes: <stdio.h> */
/* t_fixture_exec_missing: a path that does not exist (ENOENT) */
static int t_fixture_exec_missing(struct t_fixture *f, const char *name)
{
	snprintf(f->path, sizeof(f->path), "%s", name);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_exec_noexec | needs: t_fixture t_write_file | includes: <stdio.h> */
/* t_fixture_exec_noexec: a regular file without any execute bit (EACCES, even for root) */
static int t_fixture_exec_noexec(struct t_fixture *f, const char *name)
{
	static const char text[] = "not a program\n";

	snprintf(f->path, sizeof(f->path), "%s", name);
	return t_write_file(f->path, text, sizeof(text) - 1, 0644);
}
/* @end */

/* @section t_fixture_exec_garbage | needs: t_fixture t_write_file | includes: <stdio.h> */
/* t_fixture_exec_garbage: an executable file of pseudo-random bytes no binfmt accepts (ENOEXEC) */
static int t_fixture_exec_garbage(struct t_fixture *f, const char *name)
{
	unsigned char junk[256];
	unsigned x = 2463534242u, i;

	for (i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	/* no "#!", no ELF magic */
	junk[0] = 0;
	junk[1] = 1;
	snprintf(f->path, sizeof(f->path), "%s", name);
	return t_write_file(f->path, junk, sizeof(junk), 0755);
}
/* @end */

/* @section t_fixture_exec_script | needs: t_fixture t_write_file t_copy_helper t_tmpdir_path | includes: <errno.h> <stdio.h> */
/* the kernel reads no more of a "#!" line than this (BINPRM_BUF_SIZE) */
#define T_SHEBANG_MAX 256

/*
 * t_fixture_exec_script: an executable "#!<interpreter>" script. The interpreter is a copy of the
 * helper at <name>.interp that exits with exit_code, or a path where nothing is.
 */
static int t_fixture_exec_script(struct t_fixture *f, const char *name, int missing_interpreter, int exit_code)
{
	char interp[PATH_MAX], text[PATH_MAX + 8];
	int ret, len;

	len = snprintf(interp, sizeof(interp), "%s/%s.%s", t_tmpdir, name, missing_interpreter ? "no-interpreter" : "interp");
	if (len >= (int)sizeof(interp) || len + 4 > T_SHEBANG_MAX) {
		errno = ENAMETOOLONG;
		return t_setup_fail(name, "interpreter path");
	}
	if (!missing_interpreter) {
		ret = t_copy_helper(interp, exit_code);
		if (ret)
			return ret;
	}
	len = snprintf(text, sizeof(text), "#!%s\n", interp);
	snprintf(f->path, sizeof(f->path), "%s", name);
	return t_write_file(f->path, text, len, 0755);
}
/* @end */

/* @section t_fixture_exec_notdir | needs: t_fixture t_write_file | includes: <stdio.h> */
/* t_fixture_exec_notdir: "<name>/x", a path through a regular file (ENOTDIR) */
static int t_fixture_exec_notdir(struct t_fixture *f, const char *name)
{
	int ret = t_write_file(name, "", 0, 0644);

	snprintf(f->path, sizeof(f->path), "%s/x", name);
	return ret;
}
/* @end */
