"""`gongkai edit`'s server: the Decap CMS editor page, Decap's local-backend protocol, the check.

Decap's `decap-server` (Node) speaks a small protocol: POST /api/v1 with `{action, params}`
(entriesByFolder, getEntry, persistEntry, getMedia, persistMedia, deleteFile, …) answered from
the files of the repository. This module speaks the same protocol from Python, so an office PC
needs no Node at run time, and saving can do what `gongkai new` and `gongkai check` do:

- `gongkaiIssueIndexNo` (called by the editor's preSave handler when 索引号 is empty) issues the
  next 索引号 from the register with the functions `gongkai new` uses, and for a new entry the
  file name `gongkai new` would give it;
- GET /api/check?collection=…&slug=… returns the check's verdict on one entry, in the messages
  of `gongkai check`, shown by the editor in a panel.

Only files under the source folder can be read or written; the server listens on loopback only.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import mimetypes
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from . import register
from .config import DisclosureConfig, build_day, served_path
from .corpus import ENTRY_SUFFIX
from .editor_config import (
    API_PATH,
    FILE_NAME_FIELD,
    collection_folder,
    decap_config,
    year_folders,
)
from .front_matter import FENCE
from .listings import entry_uri
from .new_entry import new_entry_path, record_issued
from .problems import Problem, errors, warnings
from .project import load_project

PAGE = Path(__file__).parent / "editor_page.html"
SCRIPT = Path(__file__).parent / "editor_page.js"
DECAP_DIST = Path("editor") / "node_modules" / "decap-cms" / "dist"
"""Where `make edit` (npm ci in editor/) puts Decap's bundle, relative to the project."""
ADMIN = "/admin/"
DECAP_PREFIX = ADMIN + "decap/"


class RequestError(Exception):
    """A request the editor should not have made; the message is shown to staff."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.UNPROCESSABLE_ENTITY):
        super().__init__(message)
        self.status = status


@dataclass
class EditorBackend:
    """The project the editor works on, and the protocol's actions over its files."""

    project_dir: Path
    config: DisclosureConfig
    preview_url: str
    today: Callable[[], dt.date] = build_day
    _issue_lock: threading.Lock = field(default_factory=threading.Lock)

    # --- paths -----------------------------------------------------------------------------

    def _relative(self, path: Any) -> str:
        """`path` checked to lie under the source folder, as a normalised POSIX path."""
        if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
            raise RequestError(f"文件路径无效：{path!r}")
        pure = PurePosixPath(path)
        source = PurePosixPath(self.config.source_dir)
        if pure.is_absolute() or ".." in pure.parts or not pure.is_relative_to(source):
            raise RequestError(f"只能读写 {self.config.source_dir}/ 中的文件：{path}",
                               HTTPStatus.FORBIDDEN)
        return pure.as_posix()

    def _file(self, path: Any) -> Path:
        return self.project_dir / self._relative(path)

    # --- Decap's protocol ------------------------------------------------------------------

    def _entry(self, relative: str) -> dict[str, Any]:
        try:
            content = (self.project_dir / relative).read_bytes()
        except OSError:
            return {"data": None, "file": {"path": relative, "id": None}}
        return {
            "data": content.decode("utf-8", errors="replace"),
            "file": {"path": relative, "id": hashlib.sha256(content).hexdigest()},
        }

    def _list(self, folder: Any, extension: str, depth: int) -> list[str]:
        root = self._file(folder)
        found: list[str] = []
        if not root.is_dir():
            return found
        base_depth = len(root.parts)
        for current, subfolders, names in os.walk(root):
            level = len(Path(current).parts) - base_depth + 1
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            if level >= depth:
                subfolders[:] = []
            for name in sorted(names):
                if not name.startswith(".") and name.endswith(extension):
                    found.append(Path(current, name).relative_to(self.project_dir).as_posix())
        return found

    def _media(self, relative: str) -> dict[str, Any]:
        content = (self.project_dir / relative).read_bytes()
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64",
            "path": relative,
            "name": PurePosixPath(relative).name,
        }

    def _write(self, path: Any, content: bytes) -> None:
        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def handle(self, action: Any, params: Any) -> Any:
        """One protocol request's answer; RequestError for a bad one."""
        if not isinstance(params, dict):
            params = {}
        if action == "info":
            return {"repo": self.project_dir.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            files = self._list(params.get("folder"), str(params.get("extension") or ""),
                               int(params.get("depth") or 1))
            return [self._entry(path) for path in files]
        if action == "entriesByFiles":
            return [self._entry(self._relative(item.get("path")))
                    for item in params.get("files") or [] if isinstance(item, dict)]
        if action == "getEntry":
            return self._entry(self._relative(params.get("path")))
        if action == "persistEntry":
            return self._persist_entry(params)
        if action == "getMedia":
            files = self._list(params.get("mediaFolder"), "", 1)
            return [self._media(path) for path in files if not path.endswith(ENTRY_SUFFIX)]
        if action == "getMediaFile":
            return self._media(self._relative(params.get("path")))
        if action == "persistMedia":
            asset = params.get("asset") or {}
            self._write(asset.get("path"), _asset_bytes(asset))
            return self._media(self._relative(asset.get("path")))
        if action == "deleteFile":
            self._file(params.get("path")).unlink(missing_ok=True)
            return {"message": "deleted"}
        if action == "deleteFiles":
            for path in params.get("paths") or []:
                self._file(path).unlink(missing_ok=True)
            return {"message": "deleted"}
        if action == "getDeployPreview":
            return None
        if action == "gongkaiIssueIndexNo":
            return self._issue_index_no(params)
        raise RequestError(f"不支持的操作：{action}")

    def _persist_entry(self, params: dict[str, Any]) -> dict[str, str]:
        data_files = params.get("dataFiles") or [params.get("entry")]
        for data_file in data_files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise RequestError("保存的内容无效")
            self._write(data_file.get("path"), without_file_name(data_file["raw"]).encode("utf-8"))
        for asset in params.get("assets") or []:
            self._write(asset.get("path"), _asset_bytes(asset))
        for data_file in data_files:
            if data_file.get("newPath"):
                target = self._file(data_file["newPath"])
                target.parent.mkdir(parents=True, exist_ok=True)
                self._file(data_file["path"]).rename(target)
        return {"message": "entry persisted"}

    # --- what gongkai adds -----------------------------------------------------------------

    def _issue_index_no(self, params: dict[str, Any]) -> dict[str, str]:
        """The next 索引号 of the entry's year, entered in the register as `gongkai new` does;
        for a new entry (no `path`) also the file name `gongkai new` would give it."""
        try:
            day = dt.date.fromisoformat(str(params.get("date") or ""))
        except ValueError:
            raise RequestError("请先填写发布日期（YYYY-MM-DD），再保存") from None
        title = str(params.get("title") or "").strip()
        path = params.get("path")
        folder = None
        if not path:
            folder = collection_folder(self.config, str(params.get("collection") or ""))
            if folder is None:
                raise RequestError("无法确定新信息应存放的文件夹")
            if PurePosixPath(folder).name != str(day.year):
                raise RequestError(
                    f"发布日期是 {day.year} 年，而这里是「{PurePosixPath(folder).name} 年」："
                    f"请到左侧「{day.year} 年」中新建，或改正发布日期"
                )
        pattern = register.IndexPattern(self.config.index_pattern, self.config.org_code)
        written = str(params.get("index_no") or "").strip()
        if written and folder is not None:  # a new entry whose number staff typed in
            match = pattern.finder(day.year).fullmatch(written)
            if match is None:
                raise RequestError(
                    f"索引号「{written}」不符合本站 {day.year} 年的索引号规则"
                    f"（例如 {pattern.format(day.year, 1)}）：请留空，保存时会自动编号"
                )
            relative = new_entry_path(self.config, day, int(match[1]))
            return {"index_no": written, "file": relative.stem, "path": relative.as_posix()}
        with self._issue_lock:  # two saves at once must not get the same number
            serial = register.next_serial(self.project_dir, self.config, day.year)
            if isinstance(serial, list):
                raise RequestError("；".join(str(problem) for problem in serial))
            index_no = pattern.format(day.year, serial)
            relative = Path(self._relative(path)) if path else new_entry_path(
                self.config, day, serial
            )
            if not path and (self.project_dir / relative).exists():
                raise RequestError(f"{relative.as_posix()} 已存在，不会覆盖：请检查该文件")
            record_issued(self.project_dir, index_no, day.year, serial, self.today(),
                          relative, title)
        return {"index_no": index_no, "file": relative.stem, "path": relative.as_posix()}

    def check(self, collection: str, slug: str) -> dict[str, Any]:
        """`gongkai check`'s findings on one entry, and its verdict, as the editor shows them."""
        folder = collection_folder(self.config, collection)
        if folder is None or not slug or "/" in slug or slug.startswith("."):
            raise RequestError("无法确定要检查的文件")
        relative = f"{folder}/{slug}{ENTRY_SUFFIX}"
        today = self.today()
        # The loader `gongkai check` and the build use, so the editor words findings as they do.
        project = load_project(self.project_dir, config=self.config, today=today, cache=True)
        corpus, reminders = project.corpus, project.reminders
        problems = [problem for problem in corpus.problems if problem.path == relative]
        entry = next((entry for entry in corpus.entries if entry.path == relative), None)
        return {
            "path": relative,
            **verdict(problems, entry is not None),
            "messages": [str(problem) for problem in problems],
            "notes": [str(note) for note in corpus.notes if note.path == relative],
            "reminders": [str(item) for item in reminders if item.path == relative],
            "status": None if entry is None else "草稿，不会发布" if entry.draft
            else f"将于 {entry.date} 发布" if entry.date > today else "已可公开",
            "preview": None if entry is None or not entry.is_published(today)
            else self.preview_url + entry_uri(entry).removesuffix(ENTRY_SUFFIX) + "/",
        }

    def config_yaml(self) -> str:
        today = self.today()
        years = year_folders(self.project_dir, self.config, today)
        return yaml.dump(
            decap_config(self.config, years, today, self.preview_url),
            Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
        )


class _PlainDumper(yaml.SafeDumper):
    """Writes each collection's fields out in full: no `&id001` anchors for staff to puzzle over."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def verdict(problems: list[Problem], kept: bool) -> dict[str, Any]:
    """The one-line verdict on an entry: passed only when the build keeps it."""
    error_count, warning_count = len(errors(problems)), len(warnings(problems))
    if not kept:
        line = (f"未通过：{error_count} 个错误、{warning_count} 个警告。"
                "有错误的信息不会发布，请按下列说明修改后再保存")
    elif warning_count:
        line = f"通过，但有 {warning_count} 个警告：请核对下列说明"
    else:
        line = "通过：没有发现问题"
    return {"passed": kept, "errors": error_count, "warnings": warning_count, "verdict": line}


_FILE_NAME_LINE = re.compile(rf"^{FILE_NAME_FIELD}:.*\n", re.MULTILINE)


def without_file_name(raw: str) -> str:
    """The file Decap wrote, minus the file-name field the editor adds for a new entry's slug
    (only inside the front matter; a body may say anything)."""
    if not raw.startswith(FENCE + "\n"):
        return raw
    end = raw.find("\n" + FENCE, len(FENCE))
    if end < 0:
        return raw
    return _FILE_NAME_LINE.sub("", raw[:end + 1]) + raw[end + 1:]


def _asset_bytes(asset: Any) -> bytes:
    if not isinstance(asset, dict) or not isinstance(asset.get("content"), str):
        raise RequestError("上传的文件无效")
    if asset.get("encoding") == "base64":
        return base64.b64decode(asset["content"])
    return asset["content"].encode("utf-8")


def decap_dist(project_dir: Path) -> Path | None:
    """Decap's bundle installed in the project, or None when `make edit` has not installed it."""
    dist = project_dir / DECAP_DIST
    return dist if (dist / "decap-cms.js").is_file() else None


class EditorHandler(BaseHTTPRequestHandler):
    """Serves the editor page, Decap's files, the protocol and the check; nothing else."""

    backend: EditorBackend
    dist: Path
    server_version = "gongkai-editor"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # staff watch the preview's log; the editor's requests would drown it

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, value: Any, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if not self._own_host():
            self._send(HTTPStatus.FORBIDDEN, "只接受本机的请求".encode(), "text/plain; charset=utf-8")
        elif url.path in ("/", "/admin"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", ADMIN)
            self.end_headers()
        elif url.path == ADMIN:
            self._static(PAGE)
        elif url.path == ADMIN + "config.yml":
            self._send(HTTPStatus.OK, self.backend.config_yaml().encode("utf-8"),
                       "text/yaml; charset=utf-8")
        elif url.path == ADMIN + "gongkai-editor.js":
            self._static(SCRIPT)
        elif url.path.startswith(DECAP_PREFIX):
            name = url.path.removeprefix(DECAP_PREFIX)
            if "/" in name or name.startswith("."):
                self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")
            else:
                self._static(self.dist / name)
        elif url.path == "/api/check":
            query = parse_qs(url.query)
            try:
                self._json(self.backend.check(query.get("collection", [""])[0],
                                              query.get("slug", [""])[0]))
            except RequestError as error:
                self._json({"error": str(error)}, error.status)
        else:
            self._send(HTTPStatus.NOT_FOUND, "找不到此页面".encode(), "text/plain; charset=utf-8")

    def _static(self, path: Path) -> None:
        try:
            body = path.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")
            return
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, content_type)

    def _own_host(self) -> bool:
        """Whether the request names this server: a DNS name rebound to 127.0.0.1 does not."""
        port = self.server.server_port  # type: ignore[attr-defined]  # always an HTTPServer
        return self.headers.get("Host", "") in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def _from_the_editor(self) -> bool:
        """Whether a request that writes comes from the editor's own page. Any web page the
        user visits could send a form or a plain-text POST to 127.0.0.1; a JSON body needs a
        CORS preflight this server never grants, and the Origin is the browser's word."""
        origin = self.headers.get("Origin")
        content_type = self.headers.get("Content-Type", "")
        return (self._own_host()
                and (origin is None or origin == f"http://{self.headers.get('Host')}")
                and content_type.split(";")[0].strip() == "application/json")

    def do_POST(self) -> None:
        if urlsplit(self.path).path != API_PATH:
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")
            return
        if not self._from_the_editor():
            self._json({"error": "只接受来自本机编辑器页面的请求"}, HTTPStatus.FORBIDDEN)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(request, dict):
                raise RequestError("请求格式无效")
            self._json(self.backend.handle(request.get("action"), request.get("params")))
        except RequestError as error:
            self._json({"error": str(error)}, error.status)
        except (TypeError, AttributeError, KeyError):  # a value of the wrong shape
            self._json({"error": "请求格式无效"}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except (ValueError, OSError) as error:
            self._json({"error": f"无法完成（{error}）"}, HTTPStatus.INTERNAL_SERVER_ERROR)


def make_server(backend: EditorBackend, dist: Path, port: int) -> ThreadingHTTPServer:
    """The editor's server on 127.0.0.1:`port` (0: any free port), not yet serving."""
    handler = type("BoundEditorHandler", (EditorHandler,), {"backend": backend, "dist": dist})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


NOT_INSTALLED = (
    "编辑器尚未安装（缺少 {dist}）：请在项目文件夹中运行 make edit，它会先安装编辑器；"
    "如果仍不行，请联系技术人员"
)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_editor(project_dir: Path, config: DisclosureConfig, preview_port: int,
               editor_port: int, say: Callable[[str], None]) -> int:
    """The preview site (`mkdocs serve`) and the editor, on loopback, until Ctrl+C."""
    dist = decap_dist(project_dir)
    if dist is None:
        say(NOT_INSTALLED.format(dist=DECAP_DIST.as_posix()))
        return 1
    root = f"http://127.0.0.1:{preview_port}/"
    preview_url = root.rstrip("/") + served_path(project_dir)
    try:
        server = make_server(EditorBackend(project_dir, config, preview_url), dist, editor_port)
    except OSError as error:
        say(f"无法使用端口 {editor_port}（{error.strerror or error}）：编辑器可能已经打开；"
            "请关闭另一个窗口，或用 --editor-port 换一个端口")
        return 1
    environment = {**os.environ, "GONGKAI_SITE_URL": root, "NO_MKDOCS_2_WARNING": "1"}
    preview = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{preview_port}"],
        cwd=project_dir, env=environment,
    )
    say(f"编辑器：http://127.0.0.1:{server.server_address[1]}{ADMIN}")
    say(f"预览网站：{preview_url}（保存后自动更新）")
    say("用完后在本窗口按 Ctrl+C 关闭。")
    # Closing the window (or a test) sends SIGTERM: end the preview too, as on Ctrl+C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.terminate()
        try:
            preview.wait(timeout=10)
        except subprocess.TimeoutExpired:
            preview.kill()
    return 0
