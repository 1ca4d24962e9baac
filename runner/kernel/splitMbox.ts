const FROM_LINE = /^From \S+/;

/**
 * Splits an mbox (as `b4 mbox`, `b4 am` or `git format-patch --stdout` write it) into
 * its messages, without the `From ` separator lines, undoing mboxrd's `>From ` quoting.
 * Text with no separator line is taken as one message.
 */
export function splitMbox(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const messages: string[][] = [];
  let current: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const starts = FROM_LINE.test(lines[i]) && (i === 0 || lines[i - 1] === '');
    if (starts) {
      current = [];
      messages.push(current);
      continue;
    }
    if (!current) {
      if (lines[i] === '') continue;
      current = [];
      messages.push(current);
    }
    current.push(lines[i].replace(/^>(>*From )/, '$1'));
  }
  return messages.map((m) => m.join('\n')).filter((m) => m.trim() !== '');
}
