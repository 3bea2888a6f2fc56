"""Install ``juesuan.xlam`` for the current Windows user.

What it does (Excel must be closed, since Excel rewrites its add-in list on exit):

1. copies the add-in to ``%APPDATA%\\Microsoft\\AddIns\\juesuan.xlam`` (a default trusted location;
   the copy is written afresh, so it carries no Mark-of-the-Web);
2. writes ``Interpreter_Win`` and ``PYTHONPATH`` for the Python running this installer into
   ``%USERPROFILE%\\.juesuan\\juesuan.conf`` and drops those two rows from the copy's own
   ``juesuan.conf`` sheet, so that the paths can later be changed by editing that text file
   (xlwings reads the add-in's sheet before the user file);
3. registers the add-in in ``HKCU\\Software\\Microsoft\\Office\\<version>\\Excel\\Options`` as the
   next free ``OPEN``/``OPENn`` value, which is what ticking it under 文件 → 选项 → 加载项 does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ADDIN_NAME = "juesuan.xlam"
OFFICE_VERSIONS = ("16.0", "15.0", "14.0")  # 2016–365, 2013, 2010
PATH_KEYS = ("Interpreter_Win", "PYTHONPATH")
_ENV_PREFIXES = ("LOCALAPPDATA", "APPDATA", "USERPROFILE")

NOT_WINDOWS = (
    "安装 Excel 加载项需要 Windows 版 Microsoft Excel，本机无法安装。\n"
    "在本机可以直接检查工作簿文件（无需 Excel）：juesuan check 文件.xlsx"
)


def env_relative(path: str, env: Mapping[str, str]) -> str:
    """``path`` with a leading %LOCALAPPDATA%/%APPDATA%/%USERPROFILE% folded back into the variable.

    VBA expands the variable itself, which also keeps a non-ASCII user name out of the config.
    """
    for name in _ENV_PREFIXES:
        base = env.get(name, "").rstrip("\\/")
        if base and path.lower().startswith(base.lower() + "\\"):
            return f"%{name}%" + path[len(base):]
    return path


def interpreter_for(executable: Path) -> Path:
    """``pythonw.exe`` beside ``executable`` when present: no console window flashes up."""
    windowed = executable.with_name("pythonw.exe")
    return windowed if windowed.is_file() else executable


def app_dir() -> Path:
    """The folder holding the ``addin`` and ``checks`` packages (goes on PYTHONPATH)."""
    return Path(__file__).resolve().parent.parent


def user_conf_text(existing: str, values: Mapping[str, str]) -> str:
    """xlwings user config (``"KEY","value"`` lines, read by VBA ``Input #``) with ``values`` set."""
    wanted = {key.upper(): value for key, value in values.items()}
    lines = []
    for line in existing.splitlines():
        key = line.split(",", 1)[0].strip().strip('"').upper()
        if line.strip() and key not in wanted:
            lines.append(line)
    lines += [f'"{key}","{value}"' for key, value in wanted.items()]
    return "\r\n".join(lines) + "\r\n"


def installed_conf_rows(rows: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The add-in's sheet rows without the paths that the user config file now holds."""
    path_keys = {key.upper() for key in PATH_KEYS}
    return [(key, value) for key, value in rows if key.upper() not in path_keys]


def next_open_value(values: Mapping[str, str], addin_name: str = ADDIN_NAME) -> str | None:
    """Name of the free ``OPEN``/``OPENn`` value to use, or None when the add-in is already listed."""
    if any(addin_name.lower() in str(data).lower() for name, data in values.items() if name.upper().startswith("OPEN")):
        return None
    names = {name.upper() for name in values}
    index = 0
    while (f"OPEN{index}" if index else "OPEN") in names:
        index += 1
    return f"OPEN{index}" if index else "OPEN"


def _source_xlam(xlam: Path | None) -> Path:
    if xlam is not None:
        return Path(xlam)
    default = Path("dist") / ADDIN_NAME
    if default.is_file():
        return default
    from ribbon.build import build_addin

    return build_addin(Path(tempfile.mkdtemp(prefix="juesuan-")) / ADDIN_NAME)


def _register(addin: Path) -> list[str]:
    """Add ``addin`` to Excel's load-at-start list; returns the Office versions touched."""
    import winreg

    done = []
    for version in OFFICE_VERSIONS:
        key_path = rf"Software\Microsoft\Office\{version}\Excel\Options"
        try:
            key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_READ | winreg.KEY_SET_VALUE)
        except OSError:
            continue  # this Excel version never ran for this user
        with key:
            values = {}
            index = 0
            while True:
                try:
                    name, data, _ = winreg.EnumValue(key, index)
                except OSError:
                    break
                values[name] = data
                index += 1
            name = next_open_value(values)
            if name is not None:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, f'"{addin}"')
            done.append(version)
    return done


def _install_windows(xlam: Path | None) -> int:
    from ribbon import BuildError
    from ribbon.xlam import read_conf, with_conf

    try:
        source = _source_xlam(xlam)
        data = source.read_bytes()
        rows = read_conf(data)
    except BuildError as exc:
        print(f"安装失败：{exc}", file=sys.stderr)
        return 1
    except (OSError, KeyError, ValueError) as exc:
        print(f"安装失败：{xlam or ADDIN_NAME} 不是有效的 juesuan 加载项（{exc}）", file=sys.stderr)
        return 1
    env = os.environ
    if not env.get("APPDATA") or not env.get("USERPROFILE"):
        print("安装失败：环境变量 APPDATA 或 USERPROFILE 未设置", file=sys.stderr)
        return 1
    target = Path(env["APPDATA"]) / "Microsoft" / "AddIns" / ADDIN_NAME
    conf_file = Path(env["USERPROFILE"]) / ".juesuan" / "juesuan.conf"
    paths = {
        "Interpreter_Win": env_relative(str(interpreter_for(Path(sys.executable))), env),
        "PYTHONPATH": env_relative(str(app_dir()), env),
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(with_conf(data, installed_conf_rows(rows)))
        conf_file.parent.mkdir(parents=True, exist_ok=True)
        existing = conf_file.read_text(encoding="mbcs") if conf_file.is_file() else ""
        # VBA reads the file in the ANSI code page.
        conf_file.write_text(user_conf_text(existing, paths), encoding="mbcs", newline="")
    except PermissionError:
        print(f"安装失败：无法写入 {target}。请先关闭所有 Excel 窗口再安装。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"安装失败：{exc}", file=sys.stderr)
        return 1
    versions = _register(target)
    print(f"已安装：{target}")
    print(f"配置文件：{conf_file}（Python：{paths['Interpreter_Win']}）")
    if versions:
        print(f"已在 Excel {', '.join(versions)} 中登记为启动时加载。重新打开 Excel 后可见“决算检查”选项卡。")
    else:
        print("未找到 Excel 的用户设置（Excel 尚未运行过？）。请打开 Excel：文件 → 选项 → 加载项 → "
              "管理“Excel 加载项” → 转到 → 勾选“决算检查”（或点“浏览”选择上面的文件）。")
    return 0


def install_addin(xlam: Path | None = None) -> int:
    """Install the add-in (default: ``dist/juesuan.xlam``, else a fresh build). Returns an exit code.

    Off Windows it only explains that Excel on Windows is needed and returns 2.
    """
    if sys.platform != "win32":
        print(NOT_WINDOWS, file=sys.stderr)
        return 2
    return _install_windows(xlam)
