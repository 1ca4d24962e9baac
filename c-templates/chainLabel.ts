/** What the label needs of an SQE: its op and flag names. */
type LabelSqe = { op: string; flags?: string[] };

/** Only for the comment: a member with one of these flags continues its chain into the next SQE. */
const LINKING = new Set(['IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK']);

const short = (flag: string) => flag.replace(/^IOSQE_(IO_)?/, '').toLowerCase();

/** Names a submission's chains for the comment above its function: "READ(link) -> NOP; NOP". */
export function chainLabel(sqes: LabelSqe[]): string {
  if (!sqes.length) return 'no new SQEs';
  return sqes
    .map((s, i) => {
      const label = s.flags?.length ? `${s.op}(${s.flags.map(short).join(', ')})` : s.op;
      const last = i === sqes.length - 1;
      return last ? label : label + (s.flags?.some((f) => LINKING.has(f)) ? ' -> ' : '; ');
    })
    .join('');
}
