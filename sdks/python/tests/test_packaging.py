"""The standard-library build backend (build_backend/penguinmails_build.py) makes a valid wheel and sdist."""

from __future__ import annotations

import base64
import hashlib
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "build_backend"))
import penguinmails_build  # noqa: E402


class PackagingTests(unittest.TestCase):
    def test_the_wheel_has_metadata_and_a_record_whose_digests_match(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            name = penguinmails_build.build_wheel(out)
            self.assertEqual("penguinmails-1.0.0-py3-none-any.whl", name)
            with zipfile.ZipFile(Path(out) / name) as wheel:
                files = {i.filename: wheel.read(i) for i in wheel.infolist()}
        info = "penguinmails-1.0.0.dist-info"
        self.assertIn("penguinmails/py.typed", files)
        self.assertIn("Name: penguinmails\nVersion: 1.0.0\n", files[f"{info}/METADATA"].decode())
        self.assertIn("Tag: py3-none-any", files[f"{info}/WHEEL"].decode())
        rows = [line.split(",") for line in files[f"{info}/RECORD"].decode().splitlines()]
        self.assertEqual(sorted(files), sorted(r[0] for r in rows))
        for path, digest, size in rows:
            if path.endswith("RECORD"):
                self.assertEqual(("", ""), (digest, size))
                continue
            expected = base64.urlsafe_b64encode(hashlib.sha256(files[path]).digest()).rstrip(b"=").decode()
            self.assertEqual((f"sha256={expected}", str(len(files[path]))), (digest, size), path)

    def test_the_sdist_has_pkg_info_the_sources_and_its_backend(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            name = penguinmails_build.build_sdist(out)
            with tarfile.open(Path(out) / name) as sdist:
                names = sdist.getnames()
                pkg_info = sdist.extractfile("penguinmails-1.0.0/PKG-INFO").read().decode()  # type: ignore[union-attr]
        for path in ("pyproject.toml", "README.md", "LICENSE", "src/penguinmails/__init__.py",
                     "build_backend/penguinmails_build.py"):
            self.assertIn(f"penguinmails-1.0.0/{path}", names)
        self.assertTrue(pkg_info.startswith("Metadata-Version: 2.1\nName: penguinmails\nVersion: 1.0.0\n"))
