"""A PEP 517 build backend in the standard library alone, so that ``pip install`` of this folder or of the sdist works
offline (no setuptools or wheel to download): it builds the pure-Python wheel (PEP 427: the package, and a
``.dist-info`` with METADATA, WHEEL and a RECORD of SHA-256 digests) and the sdist (with PKG-INFO), reading the
``[project]`` table of pyproject.toml. The server's /sdks/ packer (src/PenguinMails/Sdks) lays them out the same way.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = (1985, 10, 26, 8, 15, 0)


def _project() -> dict[str, Any]:
    with open(ROOT / "pyproject.toml", "rb") as source:
        return tomllib.load(source)["project"]  # type: ignore[no-any-return]


def _metadata(project: dict[str, Any]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    lines += [f"Author: {a['name']}" for a in project.get("authors", []) if "name" in a]
    if isinstance(project.get("license"), dict) and "text" in project["license"]:
        lines.append(f"License: {project['license']['text']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {d}" for d in project.get("dependencies", [])]
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + (ROOT / "README.md").read_text(encoding="utf-8")


def _files(directory: Path) -> list[Path]:
    return sorted((p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix != ".pyc"), key=lambda p: p.relative_to(directory).as_posix())


def _distribution(project: dict[str, Any]) -> str:
    return str(project["name"]).replace("-", "_")


def _digest(content: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()


def get_requires_for_build_wheel(config_settings: Any = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: Any = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    project = _project()
    name, version = _distribution(project), project["version"]
    info = f"{name}-{version}.dist-info"
    package = ROOT / "src" / name
    entries = [(f"{name}/{p.relative_to(package).as_posix()}", p.read_bytes()) for p in _files(package)]
    entries += [
        (f"{info}/METADATA", _metadata(project).encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: penguinmails_build (1.0.0)\nRoot-Is-Purelib: true\n"
                          b"Tag: py3-none-any\n"),
        (f"{info}/licenses/LICENSE", (ROOT / "LICENSE").read_bytes()),
        (f"{info}/top_level.txt", f"{name}\n".encode()),
    ]
    record = "".join(f"{path},sha256={_digest(content)},{len(content)}\n" for path, content in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode()))
    filename = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, content in entries:
            entry = zipfile.ZipInfo(path, FIXED_TIME)
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, content)
    return filename


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    project = _project()
    root = f"{_distribution(project)}-{project['version']}"
    entries = [("PKG-INFO", _metadata(project).encode())]
    entries += [(name, (ROOT / name).read_bytes()) for name in ("pyproject.toml", "README.md", "LICENSE")]
    for folder in ("build_backend", "src"):
        entries += [(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in _files(ROOT / folder)]
    filename = f"{root}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.USTAR_FORMAT) as sdist:
        for path, content in entries:
            member = tarfile.TarInfo(f"{root}/{path}")
            member.size, member.mode, member.mtime = len(content), 0o644, 499162500
            sdist.addfile(member, io.BytesIO(content))
    return filename
