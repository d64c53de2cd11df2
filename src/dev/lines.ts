/**
 * Splits a byte stream into whole lines, so output from several child processes can be
 * interleaved line by line, each line with its source's prefix.
 */
export interface LineSplitter {
  push(chunk: Buffer | string): void;
  /** Emits a last line that had no newline. */
  flush(): void;
}

export function lineSplitter(onLine: (line: string) => void): LineSplitter {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString();
      const parts = pending.split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    },
    flush() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** Pipes a readable stream into `write`, one prefixed line at a time. */
export function prefixLines(stream: NodeJS.ReadableStream, prefix: string, write: (text: string) => void): void {
  const splitter = lineSplitter((line) => write(`${prefix} ${line}\n`));
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  stream.on('end', () => splitter.flush());
}
