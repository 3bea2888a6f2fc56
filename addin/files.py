"""Write an output file all at once: into a temporary file beside it, then moved over it.

A failed or interrupted run leaves no half-written file, and an existing output is replaced only
once the new one is complete. Errors become `OutputError` with a Chinese message.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from addin.marks import OutputError


def write_atomically(path: Path, write: Callable[[Path], None], *, busy_hint: str = "") -> None:
    """Call `write(tmp)` for a temporary file in `path`'s folder, then replace `path` with it."""
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=".~" + path.stem, suffix=path.suffix, dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it owner-only; give the usual mode
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{exc.strerror or exc}{busy_hint}") from exc
    except OutputError:
        raise
    except Exception as exc:  # e.g. openpyxl refusing content it loaded; never a traceback
        raise OutputError(f"无法生成“{path.name}”：{exc}") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
