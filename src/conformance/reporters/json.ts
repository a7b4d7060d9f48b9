/** The JSON report: the RunReport itself (the same objects the console and JUnit reporters render). */
import type { RunReport } from '../types.js';

export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
