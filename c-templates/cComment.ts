/** Text that is safe inside a C block comment: no comment end, one line. */
export function cComment(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/\s*\n\s*/g, ' ');
}
