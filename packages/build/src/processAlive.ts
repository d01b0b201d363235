// Whether a process still runs: how leftovers of killed runs (named by their pid) are told
// apart from the working files of a run still in progress. EPERM means it runs as someone else.
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};
