/** A C string literal for s: printable ASCII as is, `"` and `\` escaped, every other byte as a 3-digit octal escape. */
export function cString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += '\\' + byte.toString(8).padStart(3, '0');
  }
  return out + '"';
}
