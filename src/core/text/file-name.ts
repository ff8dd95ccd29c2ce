/**
 * A file name from another person (a Matrix file's `body` or `filename`), made safe to write here: only its last
 * part, nothing a file system takes as a path, a device or a hidden file, printable, not empty, not too long.
 */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const printable = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  const short = printable.slice(0, 120);
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(short)) return `_${short}`;
  return short || 'file';
}
