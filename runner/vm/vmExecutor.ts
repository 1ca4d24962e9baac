import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../spec/types.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { guard } from '../qemu/processGuard.js';
import { buildInitramfs } from '../qemu/buildInitramfs.js';
import { KERNEL_APPEND_BASE } from '../qemu/qemuArgs.js';
import { guestInit } from '../qemu/guestInit.js';
import { parseSerialLine } from '../qemu/serialParser.js';
import { LineSplitter } from '../executor/protocol.js';
import { ExecutorSession } from '../executor/executorSession.js';
import type { ExecForm } from '../../c-templates/execForm.js';
import type { Grace } from '../../c-templates/encodeExecForm.js';
import { backpressuredWriter, type Transport } from '../executor/transport.js';
import { executorBinary } from '../executor/executorBinary.js';
import { helperBinary, HELPER_GUEST_PATH } from './helperBinary.js';

export const EXECUTOR_GUEST_PATH = '/uringspec/executor';
const CONSOLE_KEEP = 200;

export interface VmExecutorOptions {
  spec: Spec;
  kernel: string;
  genInitCpio: string;
  cacheDir: string;
  /** per program, inside the guest */
  timeoutMs: number;
  grace: (form: ExecForm) => Grace;
  debugKernel?: boolean;
  memMiB?: number;
  /** a GCOV kernel: the static gcovdump (host path), run by the executor around each program */
  gcovdump?: string;
  onProgress?: (line: string) => void;
}

/** Where the executor finds gcovdump in the guest, and the kernel argument that turns it on. */
export const GCOVDUMP_GUEST_PATH = '/uringspec/gcovdump';
export const GCOV_KERNEL_ARG = 'uringspec.gcov=1';

/** One boot of the reference kernel with the executor on a virtio-serial port. */
export interface VmBoot {
  session: ExecutorSession;
  /** a mark in the console output, and the console's lines since a mark (the last ones only) */
  consoleMark(): number;
  consoleSince(mark: number): string[];
  bootMs: number;
  /** kills QEMU; resolves once it is gone */
  stop(): Promise<void>;
}

function qemuExecutorArgs(o: { kernel: string; initrd: string; socket: string; memMiB: number; timeoutMs: number; gcov: boolean }): string[] {
  const append = [
    ...KERNEL_APPEND_BASE,
    'uringspec.mode=executor', `uringspec.timeout_ms=${o.timeoutMs}`, ...(o.gcov ? [GCOV_KERNEL_ARG] : []),
  ].join(' ');
  return [
    '-M', 'pc', '-accel', 'tcg', '-cpu', 'max', '-smp', '2', '-m', String(o.memMiB),
    '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-no-reboot',
    '-chardev', `socket,id=ex,path=${o.socket},server=on,wait=off`,
    '-device', 'virtio-serial-pci', '-device', 'virtserialport,chardev=ex,name=uringspec',
    '-kernel', o.kernel, '-initrd', o.initrd, '-append', append,
  ];
}

function socketTransport(sock: Socket, qemu: ChildProcess): Transport {
  const ends: ((why: string | undefined) => void)[] = [];
  let done = false;
  const finish = (why: string | undefined) => {
    if (done) return;
    done = true;
    writer.flush();
    for (const cb of ends) cb(why);
  };
  const writer = backpressuredWriter(sock, () => done);
  sock.setEncoding('utf8');
  sock.on('close', () => finish('the VM closed the executor port'));
  sock.on('error', (e) => finish(`executor port: ${e.message}`));
  qemu.on('close', (code, signal) => finish(`QEMU exited (${signal ?? `exit ${code}`})`));
  return {
    write: writer.write,
    onData: (cb) => sock.on('data', cb),
    onEnd: (cb) => ends.push(cb),
    end: () => sock.end(),
    kill: () => { qemu.kill('SIGKILL'); },
  };
}

function connectWhenThere(path: string, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', (e) => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`cannot connect to the VM's executor port: ${e.message}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** The initramfs of executor mode: /init, the static executor and the exec helper. */
export async function executorInitramfs(o: VmExecutorOptions, workDir: string): Promise<string> {
  const [init, executor, helper] = await Promise.all([guestInit(o.cacheDir), executorBinary(o.spec, o.cacheDir, { static: true }), helperBinary(o.cacheDir)]);
  return buildInitramfs({
    genInitCpio: o.genInitCpio, init, cases: [], workDir,
    extraFiles: [
      { guestPath: EXECUTOR_GUEST_PATH, hostPath: executor, mode: 0o755 }, { guestPath: HELPER_GUEST_PATH, hostPath: helper, mode: 0o755 },
      ...(o.gcovdump ? [{ guestPath: GCOVDUMP_GUEST_PATH, hostPath: o.gcovdump, mode: 0o755 }] : []),
    ],
  });
}

/**
 * Boots the VM and connects to its executor: resolves once the executor said it is ready. The
 * console is kept (its last lines), for what the kernel said when it died.
 */
export async function bootExecutorVm(o: VmExecutorOptions, initrd: string): Promise<VmBoot> {
  if (!existsSync(o.kernel)) throw new Error(`kernel image not found: ${o.kernel}`);
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-vmx-'));
  const socket = join(dir, 'executor.sock');
  const started = Date.now();
  const slow = o.debugKernel ? 3 : 1;
  const qemu = spawn('qemu-system-x86_64', qemuExecutorArgs({ kernel: o.kernel, initrd, socket, memMiB: o.memMiB ?? (o.debugKernel || o.gcovdump ? 1024 : 512), timeoutMs: o.timeoutMs, gcov: !!o.gcovdump }), { stdio: ['ignore', 'pipe', 'pipe'] });
  const release = guard({ child: qemu, dir });
  const consoleLines: string[] = [];
  let consoleTotal = 0;
  const split = new LineSplitter();
  let stderr = '';
  qemu.stdout!.setEncoding('utf8');
  qemu.stdout!.on('data', (chunk: string) => {
    for (const raw of split.push(chunk)) {
      for (const ev of parseSerialLine(raw)) {
        consoleLines.push(ev.type === 'kernel' ? ev.line : raw.replace(/\r/g, ''));
        consoleTotal++;
        if (consoleLines.length > CONSOLE_KEEP) consoleLines.shift();
      }
    }
  });
  qemu.stderr!.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const gone = new Promise<void>((res) => qemu.on('close', () => res()));
  const cleanup = async () => {
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
    await gone;
    release();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const spawnFailed = new Promise<never>((_, rej) => qemu.once('error', (e) => rej(new Error(`cannot run qemu-system-x86_64: ${e.message} (apt-get install qemu-system-x86)`))));
    const sock = await Promise.race([connectWhenThere(socket, Date.now() + 20_000), spawnFailed]);
    const session = new ExecutorSession(socketTransport(sock, qemu), o.grace);
    const bootTimeout = new Promise<boolean>((res) => setTimeout(() => res(false), 90_000 * slow).unref());
    if (!(await Promise.race([session.ready(), bootTimeout]))) {
      const errors = consoleLines.filter((l) => /@@error|@@executor-exit|Kernel panic|not syncing/.test(l));
      const why = stderr.trim().split('\n').pop() || [...errors, ...consoleLines.slice(-2)].join(' | ') || 'no output';
      throw new EnvironmentError(`the VM's executor did not come up (kernel ${o.kernel}): ${why}`);
    }
    const bootMs = Date.now() - started;
    o.onProgress?.(`VM up with the executor after ${(bootMs / 1000).toFixed(1)} s`);
    return {
      session, bootMs, stop: cleanup,
      consoleMark: () => consoleTotal,
      consoleSince: (mark) => consoleLines.slice(Math.max(0, consoleLines.length - (consoleTotal - mark))),
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
