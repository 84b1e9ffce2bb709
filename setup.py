"""Build hook: everything else is in pyproject.toml.

`resources/` (statutes, rules, calendar, fonts, translations, towns, organs, matter kinds) stays at the top of
the repository, where the data owners edit it; a built wheel carries it as `xinfang_desk/resources/`, copied in
here. `xinfang_desk/paths.py` looks in both places (and in a PyInstaller bundle). An editable install
(`pip install -e .`) copies nothing: the package finds `resources/` beside it in the source tree. The sdist gets
`resources/` through MANIFEST.in, so a wheel built from the sdist has it too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~")


class build_py_with_resources(build_py):  # noqa: N801 - setuptools command naming
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        src = ROOT / "resources"
        if not (src / "rules" / "rules.json").exists():
            raise SystemExit(f"resources/ is missing or incomplete at {src}: refusing to build a wheel without it")
        dest = Path(self.build_lib) / "xinfang_desk" / "resources"
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest, ignore=IGNORE)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            dest = Path(self.build_lib) / "xinfang_desk" / "resources"
            outputs += [str(p) for p in dest.rglob("*") if p.is_file()]
        return outputs


setup(cmdclass={"build_py": build_py_with_resources})
