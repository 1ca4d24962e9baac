import type { Effect, FieldValue, SqeSlot, StoredFds } from '../../spec/types.js';
import type { IssueResult } from './issue.js';
import type { Member } from './engine.js';
import { adjustEnd, openedFixture, endKind, fdKey, fdKind, slotEntry, streamOf, streamsOf, takeBytes, type FdEntry, type SlotEntry, type Task, type World } from './world.js';
import { kindOf } from '../../spec/fixtureParams.js';
import { sliceRuns, spliceRuns } from './byteRuns.js';

function fieldOf(m: Member, name: string): FieldValue | undefined {
  return (m.sqe.fields ?? {})[name as keyof NonNullable<typeof m.sqe.fields>];
}

/** The field an op fills or drains through memory: the one whose generator values are buffers. */
function bufferField(m: Member): string | undefined {
  return Object.entries(m.op?.fields ?? {}).find(([, f]) => f?.values?.some((v) => 'ref' in v && v.ref === 'buf'))?.[0];
}

/** The buffer of a request's buffer field, when the case gives it one ({ buf: n }): its slot and size. */
function bufferOf(m: Member): { slot: string; size: number } | undefined {
  const slot = bufferField(m);
  const v = slot ? fieldOf(m, slot) : undefined;
  return slot && v !== undefined && typeof v === 'object' && 'buf' in v ? { slot, size: v.buf } : undefined;
}

function entryOf(world: World, task: Task, v: FieldValue | undefined, m?: Member) {
  // IOSQE_FIXED_FILE: fd is a registered slot, the file is the slot's (spawn.task.direct-descriptors-shared: the ring's)
  if (m && (m.sqe.flags ?? []).includes('IOSQE_FIXED_FILE')) return slotEntry(world, v);
  if (v === undefined || typeof v !== 'object' || !('fd' in v)) return undefined;
  if (!world.fixtures[v.fd]) return undefined;
  return task.fds.get(streamOf(world, v.fd) ? fdKey(v.fd, v.end ?? 'r') : v.fd);
}

/**
 * Whether a field of m names an fd the case closed before the task got a new one (that number may name the new
 * file now), or a regular file whose size an earlier request left undetermined: either way m's result is not.
 */
export const namesRecycledFd = (world: World, task: Task, m: Member): boolean =>
  Object.values(m.sqe.fields ?? {}).some((v) => {
    const entry = entryOf(world, task, v, m);
    return entry?.recycled === true || (entry !== undefined && world.files.get(entry.fixture)?.unknown === true);
  });

/** A new fd of the task takes the lowest free number: one a fixture's fd had, closed before, may be it. */
function newFd(task: Task): void {
  for (const e of task.fds.values()) if (!e.open) e.recycled = true;
}

/**
 * Applies an outcome's effects on fixtures to the world; returns the streams that got data (a consume takes
 * from the stream the fd's end reads, a produce adds to the one it writes: a socket's peer reads it). Pipe ends a
 * CLOSE dropped go to `released`: the file is put by task work, after the link (see close.issue.success).
 */
export function applyEffects(world: World, task: Task, m: Member, r: IssueResult, released: FdEntry[]): string[] {
  const touched: string[] = [];
  const copiesIn = r.effects.some((x) => 'copy_in' in x.effect);
  for (const { effect, bytes, at, values } of r.effects) {
    if ('consume' in effect || 'produce' in effect) {
      const target = 'consume' in effect ? effect.consume : effect.produce;
      const entry = entryOf(world, task, fieldOf(m, target), m);
      const streams = entry ? streamsOf(world, entry.fixture, entry.end) : {};
      const key = 'consume' in effect ? streams.reads : streams.writes;
      const pipe = key !== undefined ? world.pipes.get(key) : undefined;
      if (pipe && 'consume' in effect) {
        // spawn.task.shares-memory: the bytes land in the request's buffer, in the submitter's memory
        const got = takeBytes(pipe, Math.min(bytes, pipe.avail));
        const buf = bufferOf(m);
        if (got && buf && 'eq' in r.res && r.res.eq === bytes && bytes <= buf.size) {
          world.buffers.push({ user_data: m.ud, slot: buf.slot as SqeSlot, bytes: got });
        }
      } else if (pipe && pipe.data) {
        // a zero-filled buffer writes zeros; anything else the model does not follow
        const buf = bufferOf(m);
        if (buf && bytes <= buf.size) pipe.data.push({ zero: true, len: bytes });
        else pipe.data = undefined;
      }
      if (pipe) pipe.avail = Math.max(0, pipe.avail + ('consume' in effect ? -bytes : bytes));
      if (pipe && !('eq' in r.res)) pipe.unknown = true;
      if (pipe && 'produce' in effect && bytes > 0) touched.push(key!);
    } else if ('copy_out' in effect || 'copy_in' in effect) {
      const entry = entryOf(world, task, fieldOf(m, 'copy_out' in effect ? effect.copy_out : effect.copy_in), m);
      const file = entry && world.files.get(entry.fixture);
      const buf = bufferOf(m);
      const exact = 'eq' in r.res && r.res.eq === bytes && buf !== undefined && bytes <= buf.size;
      if (file?.data && 'copy_out' in effect && exact) {
        world.buffers.push({ user_data: m.ud, slot: buf.slot as SqeSlot, bytes: sliceRuns(file.data, at ?? 0, bytes) });
      } else if (file?.data && 'copy_in' in effect) {
        // the case's buffers start zeroed and a write does not change its own: it writes zeros
        file.data = exact ? spliceRuns(file.data, at ?? 0, [{ zero: true, len: bytes }]) : undefined;
      }
      if (file && 'copy_in' in effect && !('eq' in r.res)) file.unknown = true;
    } else if ('may_change' in effect) {
      const entry = entryOf(world, task, fieldOf(m, effect.may_change), m);
      const file = entry && world.files.get(entry.fixture);
      if (file) {
        file.unknown = true;
        file.data = undefined;
      }
    } else if ('create' in effect) {
      const v = fieldOf(m, effect.create);
      if (v !== undefined && typeof v === 'object' && 'str' in v) world.created.add(v.str);
    } else if ('extend' in effect) {
      const entry = entryOf(world, task, fieldOf(m, effect.extend), m);
      const file = entry && world.files.get(entry.fixture);
      if (file) file.size = Math.max(file.size, bytes);
      // a write whose count is one of several: the file's size is not known from here on
      if (file && !('eq' in r.res)) file.unknown = true;
      // grown by bytes the model did not follow (a WRITEV's segments): its contents are unknown from here on
      if (file && !copiesIn) file.data = undefined;
    } else if ('truncate' in effect) {
      // O_TRUNC of an existing regular file fixture named by path: it is emptied
      const v = fieldOf(m, effect.truncate);
      const file = v !== undefined && typeof v === 'object' && 'path' in v ? world.files.get(v.path) : undefined;
      if (file) {
        file.size = 0;
        file.data = [];
        // an open that may have failed may have emptied it or not
        if ('one_of' in r.res) file.unknown = true;
      }
    } else if ('seek' in effect) {
      // the file position (f_pos) of the open file description, shared by every task holding the fd
      const entry = entryOf(world, task, fieldOf(m, effect.seek), m);
      const file = entry && world.files.get(entry.fixture);
      if (file) file.pos = bytes;
    } else if ('slot_open' in effect) {
      setSlot(world, bytes, slotOfPath(world, fieldOf(m, effect.slot_open)), released);
    } else if ('slot_clear' in effect) {
      setSlot(world, bytes, undefined, released);
    } else if ('install' in effect) {
      // a new fd of the issuing task for the file in the slot: another reference to it
      const slot = fieldOf(m, effect.install);
      const e = typeof slot === 'number' ? world.table?.slots[slot] : undefined;
      if (e) {
        const entry: FdEntry = { fixture: e.fixture ?? '', end: e.end, open: true, cloexec: bytes !== 0 };
        newFd(task);
        task.installed.push(entry);
        adjustEnd(world, entry, +1);
      }
    } else if ('open' in effect) {
      newFd(task);
      task.opened++;
      const v = fieldOf(m, effect.open);
      if (v !== undefined && typeof v === 'object' && 'path' in v) {
        (task.reopened ??= new Set()).add(v.path);
        // the new fd, for a later batch's { result_of: ud } (only the submitter fills SQEs), when the outcome says
        // what it was opened for (acc); an open without (O_PATH) is not followed
        const key = task === world.submitter && effect.acc !== undefined ? openedFixture(world, task, v.path, m.ud, bytes) : undefined;
        if (key) world.results.set(m.ud, key);
      }
    } else if ('store_fds' in effect) {
      storeFds(world, task, m, effect, values ?? [], bytes !== 0, released);
    } else if ('close' in effect) {
      const entry = entryOf(world, task, fieldOf(m, effect.close));
      if (entry?.open) {
        entry.open = false;
        if (entry.end) released.push(entry);
      }
    }
  }
  return touched;
}

/**
 * store_fds: a new pipe whose ends (read end first) become two new fds of the task, or go into registered
 * slots (where later IOSQE_FIXED_FILE requests reach them: the pipe is modelled, empty, with those ends);
 * what the request stores in its buffer is checked after the chain when the buffer is one of the case's.
 */
function storeFds(world: World, task: Task, m: Member, effect: Extract<Effect, { store_fds: string }>, values: number[], cloexec: boolean, released: FdEntry[]): void {
  let ints: StoredFds['ints'];
  if (effect.slots) {
    const name = `${effect.file}@${m.ud}`;
    world.fixtures[name] = { kind: effect.file };
    world.pipes.set(name, { avail: 0, writers: 0, readers: 0, data: [] });
    (['r', 'w'] as const).forEach((end, i) => {
      const at = values[i]!;
      if (!world.table || at < 0 || at >= world.table.slots.length) return;
      setSlot(world, at, { fixture: name, end, kind: endKind(world, name, end) }, released);
      adjustEnd(world, { fixture: name, end, open: true, cloexec: false }, +1);
    });
    ints = values.map((eq) => ({ eq }));
  } else {
    newFd(task);
    task.opened += values.length;
    ints = values.map((fl) => ({ fl, cloexec }));
  }
  const v = fieldOf(m, effect.store_fds);
  if (v !== undefined && typeof v === 'object' && 'buf' in v) world.stored.push({ user_data: m.ud, slot: effect.store_fds as SqeSlot, ints, one_pipe: !effect.slots });
}

/** The slot entry for the file an OPENAT of this path opens: a fixture's file or dir, or a file it created. */
function slotOfPath(world: World, v: FieldValue | undefined): SlotEntry {
  if (v !== undefined && typeof v === 'object' && 'path' in v && world.fixtures[v.path]) {
    const type = kindOf(world.fx, world.fixtures[v.path]!).model.path_type;
    return { fixture: v.path, end: undefined, kind: type === 'dir' ? 'dir' : type === 'reg' ? fdKind(world, v.path) : 'other' };
  }
  return { fixture: undefined, end: undefined, kind: 'file' };
}

/**
 * Puts a file into registered slot `at` (or empties it): io_install_fixed_file() and io_fixed_fd_remove()
 * of io_uring/filetable.c, with the allocator's hint moved as io_file_bitmap_set()/_clear() move it.
 * A pipe end the slot held loses that reference when the link is done.
 */
function setSlot(world: World, at: number, entry: SlotEntry | undefined, released: FdEntry[]): void {
  const t = world.table;
  if (!t || at < 0 || at >= t.slots.length) return;
  const old = t.slots[at];
  if (old?.end && old.fixture) released.push({ fixture: old.fixture, end: old.end, open: false, cloexec: false });
  if (!old && entry) t.hint = at + 1;
  if (old && !entry) t.hint = at;
  t.slots[at] = entry;
}

/** Releases stream ends closed during a link: a stream loses a reader or writer; a stream left without writers wakes its readers. */
export function releaseEnds(world: World, released: FdEntry[]): string[] {
  const woken: string[] = [];
  for (const entry of released.splice(0)) {
    adjustEnd(world, entry, -1);
    const writes = streamsOf(world, entry.fixture, entry.end).writes;
    if (writes !== undefined && world.pipes.get(writes)?.writers === 0) woken.push(writes);
  }
  return woken;
}
