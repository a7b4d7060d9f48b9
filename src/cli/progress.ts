/**
 * Progress for long commands (`seed --scale`, `record`): on a terminal, one status line on stderr that redraws in
 * place with the elapsed time; lasting lines (what finished) go to `print`. Off a terminal (CI, a pipe) only the
 * lasting lines are written, so logs stay clean.
 */

export interface ProgressDisplay {
  /** what is going on now (redrawn in place on a terminal) */
  status(text: string): void;
  /** a line that stays */
  line(text: string): void;
  /** stop redrawing and clear the status line */
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(
  print: (line: string) => void = console.log,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay {
  const live = !!stream.isTTY && !process.env.CI;
  const started = Date.now();
  let text = '';
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => live && stream.write('\r\x1b[K');
  const draw = () => {
    if (!live || !text) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const width = Math.max(20, (stream.columns ?? 80) - 12);
    stream.write(
      `\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${text.length > width ? `${text.slice(0, width - 1)}…` : text} ${seconds} s`,
    );
  };
  if (live) {
    timer = setInterval(draw, 100);
    timer.unref();
  }
  return {
    status(t) {
      text = t;
      draw();
    },
    line(t) {
      clear();
      print(t);
      draw();
    },
    done() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
