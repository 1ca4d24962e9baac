import { describe, expect, it } from 'vitest';
import { parseAppliedDiff } from './rfcLines.js';

const applied = `--- a/fs/exec.c
+++ b/fs/exec.c
@@ -1974 +1974 @@
-static int do_execveat(int fd,
+int do_execveat(int fd,
@@ -2000,2 +1999,0 @@
-gone
-gone too
--- a/io_uring/spawn.c
+++ b/io_uring/spawn.c
@@ -0,0 +1,3 @@
+// SPDX
+#include <x.h>
+int io_clone(void);
--- a/kernel/fork.c
+++ b/kernel/fork.c
@@ -10,0 +11,2 @@
+a
+b
@@ -40,2 +42,3 @@
-x
-y
+X
+Y
+Z
`;

describe('parseAppliedDiff', () => {
  it('lists the lines each hunk adds, in the patched numbering, and skips pure deletions', () => {
    const r = parseAppliedDiff(applied);
    expect([...r.keys()]).toEqual(['fs/exec.c', 'io_uring/spawn.c', 'kernel/fork.c']);
    expect(r.get('fs/exec.c')).toEqual([{ start: 1974, end: 1974, added: [1974] }]);
    expect(r.get('io_uring/spawn.c')).toEqual([{ start: 1, end: 3, added: [1, 2, 3], created: true }]);
    expect(r.get('kernel/fork.c')).toEqual([{ start: 11, end: 12, added: [11, 12] }, { start: 42, end: 44, added: [42, 43, 44] }]);
  });
});
