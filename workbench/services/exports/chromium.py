"""One Chromium process group: started with its DevTools pipe, watched for memory, killed whole.

Linux: the pipe goes on descriptors 3 and 4, memory is read from ``/proc``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

MEMORY_CHECK_SECONDS = 0.2
#: The app's requests get the CPU before a print does.
NICENESS = 10


class ChromiumStartError(Exception):
    pass


class Chromium:
    """One Chromium process group, its DevTools pipe on descriptors 3 and 4, its errors in a file."""

    def __init__(self, executable: str, flags: list[str], *, folder: Path, account: tuple[int, int] | None):
        commands_read, self.commands = os.pipe()
        self.replies, replies_write = os.pipe()
        self.errors_path = folder / "chromium.log"
        # Chromium wants the pipe on descriptors 3 and 4 exactly; the shell puts it there, as
        # subprocess cannot.
        script = f'exec nice -n {NICENESS} "$@" 3<&0 4>&1 </dev/null >/dev/null'
        # Only what Chromium needs from the environment: none of the app's settings or secrets.
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "TMPDIR": str(folder),
               "LANG": os.environ.get("LANG", "C.UTF-8")}
        try:
            with open(self.errors_path, "wb") as errors:
                self.process = subprocess.Popen(
                    ["sh", "-c", script, "sh", executable, *flags], stdin=commands_read, stdout=replies_write,
                    stderr=errors, env=env, cwd=folder, start_new_session=True, close_fds=True,
                    **({"user": account[0], "group": account[1], "extra_groups": []} if account else {}))
        except OSError as err:
            for fd in (commands_read, self.commands, self.replies, replies_write):
                os.close(fd)
            raise ChromiumStartError(err.strerror) from None
        os.close(commands_read)
        os.close(replies_write)
        #: Its own session and process group, which every process it starts stays in (but its crash
        #: handler, which leaves the group and quits once Chromium is gone).
        self.group = self.process.pid

    def kill(self) -> None:
        """Chromium and every process it started; nothing in them is worth a clean shutdown."""
        try:
            os.killpg(self.group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        # The others die as the kernel gets to them; wait, so that their folder can go after.
        gone_by = time.monotonic() + 5
        while time.monotonic() < gone_by and any(state != b"Z" for _, state in group_processes(self.group)):
            time.sleep(0.02)
        for fd in (self.commands, self.replies):
            if fd >= 0:
                os.close(fd)
        self.commands = self.replies = -1

    def last_words(self) -> str:
        try:
            lines = self.errors_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        meaningful = [line for line in lines if "ERROR" in line or "FATAL" in line or "sandbox" in line.lower()]
        return (meaningful or lines or [""])[-1].strip()


class MemoryWatch:
    """Samples the memory of one process group; kills the group once it holds more than ``limit``.

    Counts resident anonymous memory (``RssAnon``), which each process holds for itself: the
    binary's pages, shared by every process, would be counted a dozen times in plain RSS.
    """

    def __init__(self, group: int, limit: int):
        self.group, self.limit = group, limit
        self.peak = 0
        self.exceeded = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pdf-memory-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            held = group_memory(self.group)
            self.peak = max(self.peak, held)
            if held > self.limit:
                self.exceeded = True
                try:
                    os.killpg(self.group, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return
            self._stop.wait(MEMORY_CHECK_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def group_processes(group: int):
    """(pid, state) of each process in ``group``; nothing where there is no ``/proc``."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in entries:
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(stat[2]) == group:
                yield int(entry), stat[0]


def group_memory(group: int) -> int:
    """Bytes of resident anonymous memory held by the processes of ``group``."""
    total = 0
    for pid, _ in group_processes(group):
        try:
            for line in Path(f"/proc/{pid}/status").read_bytes().splitlines():
                if line.startswith(b"RssAnon:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue  # gone meanwhile
    return total
