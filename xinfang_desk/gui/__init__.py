"""The Qt user interface: the only package that imports PySide6 (with app.py, the composition root).

PySide6 is pinned to 6.11.3: 6.12.0 drops a reference to ``None`` on every void method call on CPython
3.11, which aborts a long session with ``Fatal Python error: none_dealloc`` (tests/gui/test_pyside_refs.py
guards against that regression).
"""
