"""`make build` (hooks/gongkai/publish.py): one build at a time, `site` switched in one step."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, Project

MAKE = ["make", "-s", "-o", ".venv/.ready", "build", f"BIN={REPO / '.venv' / 'bin'}"]


def make_build(project: Project) -> subprocess.CompletedProcess:
    return subprocess.run(MAKE, cwd=project.root, capture_output=True, text=True, check=False)


def start_make_build(project: Project) -> subprocess.Popen:
    return subprocess.Popen(MAKE, cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def site_files(project: Project) -> list[str]:
    """Every file of the published site; the content hashes in search index names (which
    differ between two builds of the same entries) written as #."""
    site = project.root / "site"
    return sorted(re.sub(r"[0-9a-f]{10,}", "#", path.relative_to(site).as_posix())
                  for path in site.rglob("*") if path.is_file())


def versions(project: Project) -> list[str]:
    return sorted(path.name for path in (project.root / ".site-builds").iterdir()
                  if not path.name.startswith("."))


@pytest.fixture
def site_project(project: Project) -> Project:
    shutil.copy(REPO / "Makefile", project.root / "Makefile")
    for number in range(1, 4):
        project.entry(f"disclosures/2021/n{number}.md", title=f"通知{number}",
                      index_no=f"000014349/2021-{number:05d}")
    return project


def test_site_is_a_link_switched_to_each_new_version_keeping_one_before(site_project: Project):
    results = [make_build(site_project) for _ in range(3)]
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "gongkai 发布：网站已更新：site → .site-builds/" in result.stderr
    site = site_project.root / "site"
    assert site.is_symlink() and not os.path.isabs(os.readlink(site))
    kept = versions(site_project)
    assert len(kept) == 2 and site.resolve().name == kept[-1]
    assert "disclosures/2021/n3/index.html" in site_files(site_project)


def test_a_site_folder_from_older_versions_is_replaced_in_one_step(site_project: Project):
    legacy = site_project.root / "site"
    (legacy / "old").mkdir(parents=True)
    (legacy / "old" / "index.html").write_text("旧网站", "utf-8")
    result = make_build(site_project)
    assert result.returncode == 0, result.stderr
    assert legacy.is_symlink()
    assert "disclosures/2021/n1/index.html" in site_files(site_project)
    # The old folder is kept as the version before, until the next build.
    assert any(name.startswith("legacy-") for name in versions(site_project))
    assert make_build(site_project).returncode == 0
    assert make_build(site_project).returncode == 0
    assert not any(name.startswith("legacy-") for name in versions(site_project))


def test_two_concurrent_builds_both_succeed_and_leave_a_complete_site(site_project: Project):
    assert make_build(site_project).returncode == 0
    single = site_files(site_project)
    assert len(single) > 20
    for _ in range(2):
        first, second = start_make_build(site_project), start_make_build(site_project)
        outputs = [process.communicate(timeout=300)[0] for process in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        assert any("另一个构建正在进行（锁文件 .site.lock），等待它结束后再构建" in output
                   for output in outputs)
        assert site_files(site_project) == single


def test_no_wait_refuses_while_another_build_holds_the_lock(site_project: Project):
    with open(site_project.root / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run([sys.executable, "-m", "gongkai.publish", "--no-wait"],
                                cwd=site_project.root, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr == ("gongkai 发布：另一个构建正在进行（锁文件 .site.lock），本次不构建："
                             "请等它结束后再试\n")
    assert not (site_project.root / "site").exists()


def test_a_build_killed_midway_leaves_the_old_site_and_the_next_build_cleans_up(
    site_project: Project,
):
    assert make_build(site_project).returncode == 0
    before = site_files(site_project)
    published = (site_project.root / "site").resolve()
    for number in range(4, 40):
        site_project.entry(f"disclosures/2021/n{number}.md", title=f"通知{number}",
                           index_no=f"000014349/2021-{number:05d}")
    process = start_make_build(site_project)
    builds = site_project.root / ".site-builds"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(versions(site_project)) < 2:
        time.sleep(0.05)
    time.sleep(0.5)  # MkDocs is writing the new version now
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (site_project.root / "site").resolve() == published
    assert site_files(site_project) == before
    half_built = [name for name in versions(site_project) if builds / name != published]
    assert half_built
    result = make_build(site_project)
    assert result.returncode == 0, result.stderr
    assert not set(half_built) & set(versions(site_project))
    assert "disclosures/2021/n39/index.html" in site_files(site_project)


def test_an_old_version_that_cannot_be_deleted_is_left_and_publishing_goes_on(
    site_project: Project,
):
    assert make_build(site_project).returncode == 0
    stuck = (site_project.root / "site").resolve()
    locked = stuck / "index.html"
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        results = [make_build(site_project) for _ in range(3)]
        for result in results:
            assert result.returncode == 0, result.stderr
        assert (f"旧版本 .site-builds/{stuck.name} 未能完全删除（.site-builds/{stuck.name}/"
                "index.html：[Errno 1] Operation not permitted") in results[-1].stderr
        assert "已保留；不影响本次发布，可稍后手工删除" in results[-1].stderr
        assert stuck.exists() and (site_project.root / "site").resolve() != stuck
        assert "Traceback" not in results[-1].stderr
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=False)


def test_a_failed_build_leaves_the_published_version(site_project: Project):
    assert make_build(site_project).returncode == 0
    published = (site_project.root / "site").resolve()
    site_project.entry("disclosures/2021/bad.md", title="坏文件", date="2021-02-30")
    result = make_build(site_project)
    assert result.returncode != 0
    assert "gongkai 发布：构建失败（见上方的错误），网站未更新，仍是上一次的版本" in result.stderr
    assert (site_project.root / "site").resolve() == published
    assert versions(site_project) == [published.name]


def test_a_full_disk_ends_with_a_chinese_message(site_project: Project):
    builds = site_project.root / ".site-builds"
    builds.mkdir()
    script = (f"mount -t tmpfs -o size=64k gongkai-full {builds} && "
              f"exec {sys.executable} -m gongkai.publish")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no user and mount namespaces to mount a small tmpfs in")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=site_project.root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "磁盘空间已满（No space left on device" in result.stderr
    assert "网站未更新" in result.stderr
    assert not (site_project.root / "site").exists()


def test_an_unwritable_project_folder_ends_with_a_chinese_message(site_project: Project):
    builds = site_project.root / ".site-builds"
    builds.mkdir()
    script = (f"mount -t tmpfs -o ro gongkai-ro {builds} && "
              f"exec {sys.executable} -m gongkai.publish")
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("no user and mount namespaces to mount a read-only folder in")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=site_project.root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "gongkai 发布：无法创建 .site-builds/，没有写入权限（[Errno 30] Read-only file system" in (
        result.stderr)
