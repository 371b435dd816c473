"""`juesuan serve`: a page on the user's own machine where staff drop their files and get the HTML report.

A small Flask app with two routes: ``GET /`` is the upload form, ``POST /check`` checks what was sent and
answers with the report page (`checker.reports.html`), with a link back. The files go to a temporary
folder that is deleted when the answer is made, so nothing is stored unless the server was started with
a folder to keep them in (``--keep``). Uploads are limited in size (Flask's ``MAX_CONTENT_LENGTH``) and
count; several files are checked as one disclosure (a report and its attachments, `Checker.check_bundle`)
unless the user unticks that. Files are named in the report as the user's files were named.
Checks run one at a time: a local page for one office, not a service. Flask is imported only when the
app is made, so the other commands never load it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Iterable
from datetime import datetime
from html import escape
from pathlib import Path

from checker.config import DEFAULT_MAX_UPLOAD_MB
from checker.reports import html
from checker.reports.model import DocumentResult, RunInfo
from checker.run import ATTACHMENT_SUFFIXES, Checker

MAX_FILES = 20
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}
_FORM_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"

_STYLE = """
body { font: 15px/1.6 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1d2433;
       background: #f4f5f8; }
main { max-width: 760px; margin: 40px auto; background: #fff; padding: 28px 36px; border: 1px solid #d9dde5; }
h1 { font-size: 22px; margin: 0 0 6px; }
.lead { color: #5d6678; margin: 0 0 20px; }
.drop { display: block; border: 2px dashed #8a94a8; border-radius: 8px; padding: 28px; text-align: center;
        background: #fafbfd; }
.drop input { display: block; margin: 12px auto 0; }
.options { margin: 16px 0; }
button { font-size: 16px; padding: 8px 28px; background: #1f3a5f; color: #fff; border: 0; border-radius: 4px;
         cursor: pointer; }
.error { color: #a8071a; background: #fff1f0; border: 1px solid #ffa39e; padding: 8px 12px; }
.fine { color: #5d6678; font-size: 13px; margin-top: 24px; }
"""


def clean_name(filename: str | None, number: int) -> str:
    """The name a file is shown under: its own name without folders or characters a path cannot hold."""
    name = _UNSAFE.sub("_", Path((filename or "").replace("\\", "/")).name).strip(" ._")[:120]
    return name or f"文件{number}"


def unique_names(filenames: Iterable[str | None]) -> list[str]:
    names: list[str] = []
    for number, filename in enumerate(filenames, start=1):
        name, n = clean_name(filename, number), 1
        stem, suffix = (name[: -len(m.group())], m.group()) if (m := _SUFFIX.search(name)) else (name, "")
        while name in names:
            n += 1
            name = f"{stem}（{n}）{suffix}"
        names.append(name)
    return names


def upload_page(max_mb: int, error: str | None = None) -> str:
    """The form: a drop zone (the file input itself, which takes dropped files), the bundle option, a button."""
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{escape(_FORM_POLICY)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>决算公开检查</title><style>{_STYLE}</style></head><body><main>"
            "<h1>决算公开检查</h1><p class=\"lead\">把部门决算公开的文件拖到下面（或点击选择），"
            "检查结果会显示在本页。</p>"
            f"{problem}"
            '<form method="post" action="/check" enctype="multipart/form-data">'
            '<label class="drop">拖放文件到这里：报告正文（.docx、.txt、.pdf）和附表（.xlsx、.xls）'
            '<input type="file" name="files" multiple required '
            'accept=".txt,.text,.docx,.pdf,.xlsx,.xlsm,.xls"></label>'
            '<p class="options"><label><input type="checkbox" name="bundle" value="on" checked> '
            "多个文件作为同一份公开合并检查（报告正文及其附表）</label></p>"
            '<button type="submit">检查</button></form>'
            f'<p class="fine">每次最多 {MAX_FILES} 个文件，合计不超过 {max_mb} MB。文件只在本机检查，'
            "检查完即删除，不会保存或上传到其他地方。</p>"
            "</main></body></html>\n")


def _page(text: str, status: int = 200, form: bool = False):
    from flask import Response

    response = Response(text, status=status, mimetype="text/html")
    response.headers.update(_HEADERS)
    if form:
        response.headers["Content-Security-Policy"] = _FORM_POLICY
    return response


def create_app(checker: Checker, info: RunInfo, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB,
               keep: Path | None = None):
    """The Flask app; ``keep`` is a folder where each check's files and report are saved (nothing is kept
    without it)."""
    from flask import Flask, request

    app = Flask("juesuan")
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024
    lock = threading.Lock()

    @app.get("/")
    def index():
        return _page(upload_page(max_upload_mb), form=True)

    @app.post("/check")
    def check():
        uploads = [f for f in request.files.getlist("files") if f.filename]
        if not uploads:
            return _page(upload_page(max_upload_mb, "请选择要检查的文件。"), 400, form=True)
        if len(uploads) > MAX_FILES:
            return _page(upload_page(max_upload_mb, f"一次最多检查 {MAX_FILES} 个文件。"), 400, form=True)
        names = unique_names(f.filename for f in uploads)
        with tempfile.TemporaryDirectory(prefix="juesuan-") as folder:
            paths = []
            for number, (upload, name) in enumerate(zip(uploads, names, strict=True), start=1):
                suffix = m.group().lower() if (m := _SUFFIX.search(name)) else ""
                path = Path(folder) / f"{number:02d}{suffix}"
                upload.save(path)
                paths.append(path)
            with lock:
                results = _check(checker, paths, names, bundle=request.form.get("bundle") == "on")
            page = html.render(results, info, back=("/", "检查其他文件"))
            if keep is not None:
                _keep(keep, paths, names, page)
        return _page(page)

    @app.errorhandler(413)
    def too_large(_error):
        return _page(upload_page(max_upload_mb, f"文件太大：一次上传合计不能超过 {max_upload_mb} MB。"), 413,
                     form=True)

    return app


def _check(checker: Checker, paths: list[Path], names: list[str], bundle: bool) -> list[DocumentResult]:
    if bundle and len(paths) > 1:
        # the report before its attachments, as `expand_bundle` orders a bundle's files
        order = sorted(range(len(paths)), key=lambda i: Path(names[i]).suffix.lower() in ATTACHMENT_SUFFIXES)
        return [checker.check_bundle([paths[i] for i in order], [names[i] for i in order])]
    return [checker.check_path(path, name) for path, name in zip(paths, names, strict=True)]


def _keep(folder: Path, paths: list[Path], names: list[str], page: str) -> None:
    """Save a check's files under their names and its report, in a folder of its own named by the time."""
    target = folder / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target.mkdir(parents=True)
    for path, name in zip(paths, names, strict=True):
        shutil.copyfile(path, target / name)
    (target / "report.html").write_text(page, encoding="utf-8")
