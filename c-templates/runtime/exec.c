/* SPDX-License-Identifier: MIT */
/*
 * exec.c: paths for IORING_OP_EXEC to run: the exec helper, and paths that make execveat fail
 * in a known way. All but exec-helper are created in the temp dir under the fixture's name.
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

/* @section t_exec_helper | needs: t_skip t_mismatch | includes: <errno.h> <stdio.h> <stdlib.h> <string.h> <unistd.h> */
/* t_exec_helper: the helper binary named by $URINGSPEC_HELPER; skip when there is none */
static int t_exec_helper(char *path, size_t len)
{
	const char *helper = getenv("URINGSPEC_HELPER");

	if (!helper || !*helper) {
		t_skip("no exec helper (set URINGSPEC_HELPER)");
		return T_EXIT_SKIP;
	}
	if (helper[0] != '/' || access(helper, X_OK)) {
		t_mismatch("setup: URINGSPEC_HELPER=%s: not an absolute path to an executable", helper);
		return T_EXIT_FAIL;
	}
	snprintf(path, len, "%s", helper);
	return T_EXIT_PASS;
}
/* @end */

/* @section t_fixture_exec_helper | needs: t_fixture t_exec_helper */
/* t_fixture_exec_helper: the exec helper's absolute path */
static int t_fixture_exec_helper(struct t_fixture *f, const char *name)
{
	(void)name;
	return t_exec_helper(f->path, sizeof(f->path));
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

/* @section t_fixture_exec_script | needs: t_fixture t_write_file t_exec_helper t_tmpdir | includes: <errno.h> <stdio.h> */
/* t_fixture_exec_script: an executable "#!<interpreter>" script; the interpreter is the helper or missing */
static int t_fixture_exec_script(struct t_fixture *f, const char *name, int missing_interpreter)
{
	char interp[PATH_MAX], text[PATH_MAX + 8];
	int ret, len;

	if (missing_interpreter) {
		len = snprintf(interp, sizeof(interp), "%s/%s.no-interpreter", t_tmpdir, name);
		if (len >= (int)sizeof(interp)) {
			errno = ENAMETOOLONG;
			return t_setup_fail(name, "interpreter path");
		}
	} else {
		ret = t_exec_helper(interp, sizeof(interp));
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
