import { spawn, execFileSync } from 'node:child_process';
import { SerialParser } from './serialParser.js';
import type { BootTracker } from './bootTracker.js';
import { guard } from './processGuard.js';

const QEMU = 'qemu-system-x86_64';

let pdeathsig: boolean | undefined;
// setpriv --pdeathsig makes the kernel kill QEMU even if node itself is SIGKILLed.
function withParentDeathSignal(cmd: string, args: string[]): [string, string[]] {
  if (pdeathsig === undefined) {
    try {
      execFileSync('setpriv', ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore' });
      pdeathsig = true;
    } catch {
      pdeathsig = false;
    }
  }
  return pdeathsig ? ['setpriv', ['--pdeathsig', 'KILL', cmd, ...args]] : [cmd, args];
}

export interface BootOutcome {
  /** QEMU ended without being killed by us (power-off, panic, startup error). */
  exitedByItself: boolean;
  stderr: string;
}

/**
 * Runs one QEMU boot, feeding its serial output to `tracker`, and kills it when
 * the tracker asks to stop or its deadline passes. Resolves once QEMU is gone.
 */
export function bootVm(args: string[], tracker: BootTracker, now: () => number = Date.now): Promise<BootOutcome> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = withParentDeathSignal(QEMU, args);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const release = guard({ child });
    const parser = new SerialParser();
    let killed = false;
    let stderr = '';
    const kill = () => {
      if (killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const feed = (events: ReturnType<SerialParser['push']>) => {
      for (const ev of events) if (!killed && tracker.handle(ev, now()) === 'stop') kill();
    };
    const watchdog = setInterval(() => {
      if (killed || now() < tracker.deadline()) return;
      tracker.stopped('expired', now());
      kill();
    }, 200);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => feed(parser.push(chunk)));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', (e) => {
      clearInterval(watchdog);
      release();
      reject(new Error(`cannot run ${QEMU}: ${e.message} (apt-get install qemu-system-x86)`));
    });
    child.on('close', () => {
      clearInterval(watchdog);
      release();
      feed(parser.end());
      if (!killed) tracker.stopped('exited', now());
      resolve({ exitedByItself: !killed, stderr });
    });
  });
}
