"""`make build`: build the site into a fresh folder and switch `site` to it in one step.

    python -m gongkai.publish [--no-wait]

`site` is a symbolic link to a versioned folder under `.site-builds/`. A build

1. takes an exclusive lock on `.site.lock` (flock), so a second build waits for the first
   (or, with --no-wait, refuses) instead of writing into the same folders;
2. builds with `mkdocs build --strict` into a new folder `.site-builds/<time>-<pid>/`;
3. only when that succeeded, points a new temporary link at it and renames the link over
   `site` — one rename(2), so at every moment `site` is either the old or the new complete
   site, whenever the process is killed;
4. deletes older versions except the one before (a web server or rsync may still be reading
   it); a version that cannot be deleted is left where it is, with a warning.

A `site/` folder from before this scheme is swapped for the link atomically too
(renameat2 RENAME_EXCHANGE on Linux) and then removed like any old version.

`rsync -a site/ …` (with the slash) and web servers follow the link, so deployment is
unchanged. Messages are Chinese; failures of the file system (a full disk, a folder that
cannot be written) end with a message saying what to do, never with a traceback.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUILDS_DIR = ".site-builds"
LOCK_FILE = ".site.lock"
KEEP_PREVIOUS = 1
"""Old versions kept besides the published one: the one a reader may still be fetching."""
_TEMP_LINK_PREFIX = ".site-switch-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_OS_ERROR_LINE = re.compile(r"^(?:\w+\.)*\w*Error: \[Errno (\d+)\] (.*)$")


class PublishError(Exception):
    """The site was not updated; the message says why and what to do, in Chinese."""


def say(message: str) -> None:
    print(f"gongkai 发布：{message}", file=sys.stderr, flush=True)


def _os_error_advice(error_number: int, detail: str) -> str:
    if error_number == errno.ENOSPC:
        return f"磁盘空间已满（{detail}）：请清理磁盘后重新构建"
    if error_number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限（{detail}）：请检查项目文件夹的权限后重新构建"
    return f"文件系统错误（{detail}）"


@contextmanager
def build_lock(project: Path, wait: bool) -> Iterator[None]:
    """Hold the project's build lock; the kernel releases it when the process dies."""
    path = project / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        raise PublishError(
            f"无法创建锁文件 {LOCK_FILE}，" + _os_error_advice(error.errno or 0, str(error))
        ) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise PublishError(
                    f"另一个构建正在进行（锁文件 {LOCK_FILE}），本次不构建：请等它结束后再试"
                ) from None
            say(f"另一个构建正在进行（锁文件 {LOCK_FILE}），等待它结束后再构建……")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _new_version_name() -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{os.getpid()}"


def _run_mkdocs(project: Path, target: Path) -> None:
    """`mkdocs build --strict` into `target`; its output passes through, except that a
    traceback from a full disk or an unwritable folder becomes one Chinese line."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)]
    process = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, encoding="utf-8", errors="replace",
    )
    assert process.stdout is not None
    traceback: list[str] = []
    for line in process.stdout:
        if traceback or line.startswith("Traceback (most recent call last):"):
            traceback.append(line)
        else:
            sys.stderr.write(line)
    returncode = process.wait()
    if traceback:
        last = traceback[-1].strip()
        match = _OS_ERROR_LINE.match(last)
        if match is None:  # not the file system: a bug, shown whole so it can be reported
            sys.stderr.write("".join(traceback))
        else:
            raise PublishError(
                "构建时" + _os_error_advice(int(match[1]), match[2]) + "；网站未更新"
            )
    if returncode != 0:
        raise PublishError("构建失败（见上方的错误），网站未更新，仍是上一次的版本")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    return result == 0


def _switch(project: Path, site: Path, version: Path) -> Path | None:
    """Point `site` at `version` in one rename. Returns a pre-link `site/` folder that was
    moved aside (to be removed like an old version), or None."""
    temp = project / f"{_TEMP_LINK_PREFIX}{os.getpid()}"
    if temp.is_symlink() or temp.exists():
        temp.unlink()
    temp.symlink_to(os.path.relpath(version, site.parent), target_is_directory=True)
    if site.is_symlink() or not site.exists():
        os.replace(temp, site)
        return None
    # A real folder from before versioned builds: rename(2) cannot put a link over it.
    if _exchange(temp, site):
        legacy = project / BUILDS_DIR / f"legacy-{version.name}"
        os.rename(temp, legacy)  # temp now names the old folder
        return legacy
    legacy = project / BUILDS_DIR / f"legacy-{version.name}"
    os.rename(site, legacy)  # without renameat2, a moment without site/ cannot be avoided
    os.replace(temp, site)
    return legacy


def _published_version(site: Path) -> Path | None:
    return site.resolve() if site.is_symlink() else None


def _remove_old_versions(builds: Path, keep: set[Path]) -> None:
    """Delete versions not in `keep`, newest kept first; failures are warnings, never fatal."""
    # Hidden names are the search index's scratch folders (search.py cleans those up).
    versions = sorted((path for path in builds.iterdir()
                       if not path.name.startswith(".") and path.resolve() not in keep),
                      key=lambda path: path.name, reverse=True)
    for path in versions:
        failures = _delete(path, builds.parent)
        if failures:
            say(f"旧版本 {BUILDS_DIR}/{path.name} 未能完全删除（{failures[0]}），已保留；"
                "不影响本次发布，可稍后手工删除")


def _delete(path: Path, project: Path) -> list[str]:
    """Delete a folder or file as far as possible; what could not be deleted, and why."""
    failures: list[str] = []

    def note(function: object, name: str, info: object) -> None:
        error = info[1] if isinstance(info, tuple) else info
        failures.append(f"{os.path.relpath(name, project)}：{error}")

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=note)
    else:
        try:
            path.unlink()
        except OSError as error:
            failures.append(str(error))
    return failures


def _stale_temp_links(project: Path) -> Iterator[Path]:
    return (path for path in project.glob(f"{_TEMP_LINK_PREFIX}*") if path.is_symlink())


SITE = "site"


def publish(project: Path, wait: bool = True) -> Path:
    """Build and publish; returns the new version's folder. Raises PublishError."""
    site = project / SITE
    builds = project / BUILDS_DIR
    with build_lock(project, wait):
        for stale in _stale_temp_links(project):  # left by a build killed mid-switch
            stale.unlink()
        try:
            builds.mkdir(exist_ok=True)
            version = builds / _new_version_name()
            version.mkdir()
        except OSError as error:
            raise PublishError(
                f"无法创建 {BUILDS_DIR}/，" + _os_error_advice(error.errno or 0, str(error))
            ) from None
        previous = _published_version(site)
        try:
            _run_mkdocs(project, version)
            legacy = _switch(project, site, version)
        except PublishError:
            shutil.rmtree(version, ignore_errors=True)
            raise
        except OSError as error:
            shutil.rmtree(version, ignore_errors=True)
            raise PublishError(
                "切换网站时" + _os_error_advice(error.errno or 0, str(error)) + "；网站未更新"
            ) from None
        keep = {version.resolve()}
        if previous is not None and KEEP_PREVIOUS:
            keep.add(previous)
        elif legacy is not None and KEEP_PREVIOUS:
            keep.add(legacy.resolve())
        _remove_old_versions(builds, keep)
    say(f"网站已更新：{SITE} → {BUILDS_DIR}/{version.name}")
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gongkai.publish",
        description="构建网站并一次性切换 site（构建失败时保留原来的网站）",
    )
    parser.add_argument("--no-wait", action="store_true",
                        help="已有构建在进行时直接退出，而不是等待")
    args = parser.parse_args(argv)
    try:
        publish(Path.cwd(), wait=not args.no_wait)
    except PublishError as error:
        say(str(error))
        return 1
    except KeyboardInterrupt:
        say("已中断，网站未更新")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
