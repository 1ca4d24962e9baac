import { findingsIn } from '../host/kmsg.js';
import type { RunOutcome } from '../verdict.js';
import type { ExecStatus } from './protocol.js';

/** What the executor saw of one program: how it ended, its result line, and the kernel log while it ran. */
export interface ExecObservation {
  id: string;
  status: ExecStatus | { kind: 'crash' } | { kind: 'not-run' };
  /** tasks of the program were still there after SIGKILL */
  stuck: boolean;
  ms: number;
  json: string | undefined;
  klog: string[];
  /** why the transport ended while the program ran (a VM that died), with the console's last lines */
  note?: string;
}

/** The outcome the verdict function judges, from an observation. */
export function toRunOutcome(o: ExecObservation): RunOutcome {
  const stdout = o.json ? [`uringspec-result: ${o.json}`] : [];
  const base = { stdout, klog: o.klog, findings: findingsIn(o.klog), ms: o.ms };
  const st = o.status;
  switch (st.kind) {
    case 'exit': return { ...base, status: 'exited', exitCode: st.code };
    case 'signal': return { ...base, status: 'exited', signal: st.signal };
    case 'timeout':
    case 'stuck': return { ...base, status: 'timeout' };
    case 'crash': return { ...base, status: 'crash' };
    case 'not-run': return { ...base, status: 'not-run' };
    case 'error': return { ...base, status: 'exited', exitCode: -1, stdout: [...stdout, `# executor could not run the program: ${st.why}`] };
  }
}
