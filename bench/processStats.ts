import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

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

/**
 * Physical memory a set of processes (and their descendants) holds together, in MiB, each page
 * counted once however many of them map it. A sum of RSS counts shared pages in every process
 * that maps them: Node's own code, about 43 MiB, once per service. Read from
 * /proc/<pid>/pagemap, which names the physical page behind each resident virtual page to root
 * only (CAP_SYS_ADMIN); null for anyone else.
 */
export function physicalMiB(pids: number[]): number | null {
  const pages = new Set<bigint>();
  for (const pid of pids.flatMap(processTree)) {
    const resident = residentPageFrames(pid);
    if (resident === null) return null;
    for (const frame of resident) pages.add(frame);
  }
  return (pages.size * pageBytes()) / (1024 * 1024);
}

const PRESENT = 1n << 63n;
const FRAME_NUMBER = (1n << 55n) - 1n;
/** Virtual pages read from pagemap at a time (8 bytes each). */
const PAGES_PER_READ = 8192;

/** The physical page frames behind a process's resident pages; null when they are hidden. */
function residentPageFrames(pid: number): bigint[] | null {
  let maps: string;
  let pagemap: number;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    pagemap = openSync(`/proc/${pid}/pagemap`, 'r');
  } catch (error) {
    // Gone already (ENOENT) holds nothing; not allowed to look is not knowing.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : null;
  }
  const frames: bigint[] = [];
  const buffer = Buffer.alloc(PAGES_PER_READ * 8);
  try {
    for (const line of maps.split('\n')) {
      const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
      // Kernel addresses (the vsyscall page) are not in pagemap.
      if (!range || range[1]!.length > 12) continue;
      const first = parseInt(range[1]!, 16) / pageBytes();
      const end = parseInt(range[2]!, 16) / pageBytes();
      for (let page = first; page < end; page += PAGES_PER_READ) {
        const bytes = readSync(pagemap, buffer, 0, Math.min(PAGES_PER_READ, end - page) * 8, page * 8);
        for (let offset = 0; offset < bytes; offset += 8) {
          const entry = buffer.readBigUInt64LE(offset);
          if (!(entry & PRESENT)) continue;
          const frame = entry & FRAME_NUMBER;
          if (frame === 0n) return null;
          frames.push(frame);
        }
      }
    }
  } catch {
    // The process exited while being read.
  } finally {
    closeSync(pagemap);
  }
  return frames;
}

let pageSize: number | undefined;
function pageBytes(): number {
  pageSize ??= Number(/KernelPageSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps', 'utf8'))?.[1] ?? 4) * 1024;
  return pageSize;
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
