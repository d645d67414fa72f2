import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and memory of a process and its descendants, read from /proc (Linux). */

const CLOCK_TICKS_PER_SECOND = 100;

export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    tree.push(current);
    queue.push(...(children.get(current) ?? []));
  }
  return tree;
}

/**
 * User plus system CPU milliseconds the process and its descendants have used, counting those
 * that already exited (a database server's backends come and go during a run).
 */
export function cpuMilliseconds(pid: number): number {
  return processTree(pid).reduce((total, member) => {
    const fields = statFields(member);
    if (!fields) return total;
    // utime and stime, then cutime and cstime: the CPU of children it has reaped.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return total + (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  }, 0);
}

/** Resident memory of the process and its descendants, in MiB. */
export function rssMiB(pid: number): number {
  return processTree(pid).reduce((total, member) => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      return total + (match ? Number(match[1]) / 1024 : 0);
    } catch {
      return total;
    }
  }, 0);
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : null;
}
