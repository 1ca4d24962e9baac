/*
 * uringspec gcovdump: the guest side of kernel coverage (a GCOV_KERNEL build).
 *
 *   gcovdump reset               zero every counter (write to /sys/kernel/debug/gcov/reset)
 *                                and remember each .gcda as it reads when zeroed
 *   gcovdump dump <tag> [fd]     write, to fd (default 1), every .gcda under
 *                                /sys/kernel/debug/gcov that changed since the reset:
 *
 *   @@gcov-begin <tag>
 *   @@gcda <tag> <len> <path>    path relative to /sys/kernel/debug/gcov (the build tree's path)
 *   @@gcdb <tag> <base64>        the file's bytes, in chunks of at most CHUNK characters
 *   @@gcov-end <tag> files=<n> bytes=<total> skipped=<unchanged files>
 *
 * Each line is one write(), so fd may be /dev/kmsg: every frame is one printk record.
 * A file equal to its zeroed copy had no counter move: it is skipped, which keeps a
 * case's dump to the few files it reached. <tag> is the case index or chain id; it
 * must be a token without spaces. debugfs is mounted if it is not yet.
 * $URINGSPEC_GCOV_ROOT and $URINGSPEC_GCOV_ZERO move both directories (for tests on the host).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *gcov_root = "/sys/kernel/debug/gcov";
static const char *zero_dir = "/tmp/uringspec-gcov-zero";
#define CHUNK 768 /* base64 characters per line: the line stays under a kmsg record */

static int out_fd = 1;
/* "<7>" on /dev/kmsg: debug level, kept in the log but not printed on the (slow, emulated) console */
static const char *level = "";
static const char *tag = "-";
static int mode_dump;
static long files, bytes, skipped;

static void write_line(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void __attribute__((format(printf, 1, 2))) frame(const char *fmt, ...)
{
	char buf[CHUNK + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(buf, sizeof(buf) - 1, "%s", level);
	n += vsnprintf(buf + n, sizeof(buf) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write_line(buf, (size_t)n);
}

/* Reads a whole file (debugfs reports size 0 for these). */
static unsigned char *slurp(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	unsigned char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			unsigned char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

/* /tmp/uringspec-gcov-zero/<path with '/' as '#'> */
static void zero_copy_path(char *out, size_t size, const char *rel)
{
	size_t k = (size_t)snprintf(out, size, "%s/", zero_dir);

	for (; *rel && k + 1 < size; rel++)
		out[k++] = *rel == '/' ? '#' : *rel;
	out[k] = '\0';
}

static void emit_file(const char *rel, const unsigned char *data, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[CHUNK + 1];
	size_t k = 0;

	frame("@@gcda %s %zu %s", tag, len, rel);
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16 | (i + 1 < len ? (unsigned)data[i + 1] << 8 : 0) | (i + 2 < len ? data[i + 2] : 0);

		line[k++] = b64[v >> 18 & 63];
		line[k++] = b64[v >> 12 & 63];
		line[k++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		line[k++] = i + 2 < len ? b64[v & 63] : '=';
		if (k == CHUNK) {
			frame("@@gcdb %s %.*s", tag, (int)k, line);
			k = 0;
		}
	}
	if (k)
		frame("@@gcdb %s %.*s", tag, (int)k, line);
	files++;
	bytes += (long)len;
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(gcov_root) + 1;
	size_t len, zlen = 0, plen = strlen(path);
	unsigned char *data, *zero;
	char zpath[4096];

	(void)sb;
	(void)ftw;
	if (type != FTW_F || plen < 5 || strcmp(path + plen - 5, ".gcda") != 0)
		return 0;
	data = slurp(path, &len);
	if (!data)
		return 0;
	zero_copy_path(zpath, sizeof(zpath), rel);
	if (!mode_dump) {
		int fd = open(zpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			if (write(fd, data, len) != (ssize_t)len)
				unlink(zpath);
			close(fd);
		}
	} else {
		zero = slurp(zpath, &zlen);
		if (zero && zlen == len && memcmp(zero, data, len) == 0)
			skipped++;
		else
			emit_file(rel, data, len);
		free(zero);
	}
	free(data);
	return 0;
}

static int ensure_debugfs(void)
{
	struct stat st;

	if (stat(gcov_root, &st) == 0)
		return 0;
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) < 0 && errno != EBUSY) {
		fprintf(stderr, "gcovdump: mount debugfs: %s\n", strerror(errno));
		return -1;
	}
	if (stat(gcov_root, &st) < 0) {
		fprintf(stderr, "gcovdump: %s: %s (a kernel without CONFIG_GCOV_KERNEL?)\n", gcov_root, strerror(errno));
		return -1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: gcovdump reset | gcovdump dump <tag> [fd]\n");
	return 2;
}

int main(int argc, char **argv)
{
	char reset_path[4096];

	if (getenv("URINGSPEC_GCOV_ROOT"))
		gcov_root = getenv("URINGSPEC_GCOV_ROOT");
	if (getenv("URINGSPEC_GCOV_ZERO"))
		zero_dir = getenv("URINGSPEC_GCOV_ZERO");
	if (argc < 2)
		return usage();
	if (ensure_debugfs() < 0)
		return 1;
	if (strcmp(argv[1], "reset") == 0 && argc == 2) {
		int fd;

		snprintf(reset_path, sizeof(reset_path), "%s/reset", gcov_root);
		fd = open(reset_path, O_WRONLY);

		if (fd < 0 || write(fd, "1", 1) != 1) {
			fprintf(stderr, "gcovdump: reset: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		mkdir(zero_dir, 0700);
		return nftw(gcov_root, visit, 16, FTW_PHYS) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "dump") != 0 || argc < 3 || argc > 4 || strpbrk(argv[2], " \t\n"))
		return usage();
	tag = argv[2];
	if (argc == 4)
		out_fd = atoi(argv[3]);
	{
		struct stat st;

		if (fstat(out_fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 11)
			level = "<7>";
	}
	mode_dump = 1;
	frame("@@gcov-begin %s", tag);
	if (nftw(gcov_root, visit, 16, FTW_PHYS) != 0)
		fprintf(stderr, "gcovdump: walking %s: %s\n", gcov_root, strerror(errno));
	frame("@@gcov-end %s files=%ld bytes=%ld skipped=%ld", tag, files, bytes, skipped);
	return 0;
}
