/**
 * Reading the journal back at start (journal.ts writes it): where the last reset is, and the entries after a place,
 * with damaged lines skipped and reported.
 */
import { forEachLine } from './lines.js';
import { decodeLine, type Journal, type JournalEntry } from './journal.js';

/** Whether a line is a reset entry (cheap check before decoding). */
const isResetLine = (line: string) => line.startsWith('{"op":"reset"');

export interface ReplayReport {
  entries: number;
  damaged: number;
}

/** A place in the journal: entries after line `line` of segment `segment`. */
export interface JournalPosition {
  segment: number;
  line: number;
}

/** Where the last intact reset entry at or after segment `from` is, if there is one. */
export async function lastReset(journal: Journal, from: number): Promise<JournalPosition | undefined> {
  let found: JournalPosition | undefined;
  for (const n of await journal.segments()) {
    if (n < from) continue;
    await forEachLine(journal.segmentPath(n), (line, no) => {
      if (isResetLine(line) && decodeLine(line)?.op === 'reset') found = { segment: n, line: no };
    });
  }
  return found;
}

/**
 * Read the segments after `after`, in order, and hand each intact entry to `apply`; damaged lines (a torn last
 * write, a checksum mismatch) are skipped with one warning per segment. Never throws on content.
 */
export async function replayJournal(
  journal: Journal,
  after: JournalPosition,
  apply: (e: JournalEntry) => void,
  warn: (msg: string) => void,
): Promise<ReplayReport> {
  const report: ReplayReport = { entries: 0, damaged: 0 };
  for (const n of await journal.segments()) {
    if (n < after.segment) continue;
    const file = journal.segmentPath(n);
    const bad: number[] = [];
    let torn = false;
    await forEachLine(file, (line, no, terminated) => {
      if (!line || (n === after.segment && no <= after.line)) return;
      const entry = decodeLine(line);
      if (!entry) {
        bad.push(no);
        if (!terminated) torn = true;
        return;
      }
      try {
        apply(entry);
        report.entries++;
      } catch (err) {
        bad.push(no);
        warn(`journal ${file}, line ${no}: ${(err as Error).message}; entry skipped`);
      }
    });
    if (bad.length) {
      report.damaged += bad.length;
      const what =
        torn && bad.length === 1
          ? 'its last line was cut short by a crash (that write was never acknowledged)'
          : `${bad.length} damaged line(s), first at line ${bad[0]}`;
      warn(`journal ${file}: ${what}; skipped`);
    }
  }
  return report;
}
