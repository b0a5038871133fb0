"""What the archive policy tells a team, in English and Chinese."""

from __future__ import annotations

from collections.abc import Mapping

from jiebang.core.i18n import Locale

# key -> (en, zh-CN); parameters use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_an_archive": (
        "{filename} is not a zip (or tar) archive; pack your files with zip or tar and upload again",
        "{filename} 不是 zip（或 tar）压缩包；请用 zip 或 tar 打包后重新上传",
    ),
    "damaged": (
        "the archive is damaged ({detail}); pack it again and upload the new file",
        "压缩包已损坏（{detail}）；请重新打包并上传",
    ),
    "encrypted": (
        "entry {name} is encrypted; pack the archive without a password",
        "条目 {name} 已加密；请不设密码重新打包",
    ),
    "unsupported": (
        "the archive uses a compression method the platform cannot read ({detail}); "
        "pack it again with zip's standard deflate or as a tar",
        "压缩包使用了平台无法读取的压缩方式（{detail}）；请改用 zip 标准 deflate 或 tar 重新打包",
    ),
    "nul_in_name": (
        "entry {name} has a NUL byte in its name",
        "条目 {name} 的名称含有 NUL 字节",
    ),
    "control_in_name": (
        "entry {name} has a control character in its name",
        "条目 {name} 的名称含有控制字符",
    ),
    "absolute": ("entry {name} is an absolute path", "条目 {name} 是绝对路径"),
    "escapes": ("entry {name} escapes the archive", "条目 {name} 指向压缩包之外"),
    "not_a_file_name": (
        "entry {name} is a file without a usable name ('.' or '..')",
        "条目 {name} 是没有可用名称的文件（“.” 或 “..”）",
    ),
    "bad_plain_name": (
        "{name} is not a usable file name; rename the file and upload again",
        "{name} 不是可用的文件名；请重命名后重新上传",
    ),
    "name_too_long": (
        "entry {name} has a name longer than the file system allows",
        "条目 {name} 的名称超过文件系统允许的长度",
    ),
    "duplicate": (
        "entry {name} appears twice in the archive",
        "条目 {name} 在压缩包中出现了两次",
    ),
    "file_and_folder": (
        "entry {name} is both a file and a folder",
        "条目 {name} 既是文件又是文件夹",
    ),
    "inside_a_file": (
        "entry {name} is inside {parent}, which is a file",
        "条目 {name} 位于 {parent} 之内，而 {parent} 是一个文件",
    ),
    "symlink": ("entry {name} is a symbolic link", "条目 {name} 是符号链接"),
    "link": ("entry {name} is a link", "条目 {name} 是链接"),
    "special": ("entry {name} is a device or special file", "条目 {name} 是设备或特殊文件"),
    "too_many_files": (
        "the archive holds more than {limit} files",
        "压缩包内文件超过 {limit} 个",
    ),
    "too_many_folders": (
        "the archive holds more than {limit} folders",
        "压缩包内文件夹超过 {limit} 个",
    ),
    "stream_too_big": (
        "the archive unpacks to more than {limit}",
        "压缩包解压后超过 {limit}",
    ),
    "too_big": (
        "unpacked size {size} exceeds {limit}",
        "解压后大小 {size} 超过上限 {limit}",
    ),
    "bomb": (
        "the archive expands {ratio}× (limit {limit}×); this looks like a decompression bomb",
        "压缩包解压后膨胀 {ratio} 倍（上限 {limit} 倍），疑似压缩炸弹",
    ),
    "lying_header": (
        "the archive unpacks to more than its headers declare",
        "压缩包解压后的大小超过其头部声明",
    ),
    "unwrapped": (
        "your archive has one folder {folder}/ around the expected layout; "
        "it was unwrapped and its contents scored",
        "您的压缩包在预期结构外多了一层文件夹 {folder}/；已自动去掉这一层并评测其中的内容",
    ),
}


def render(key: str, locale: Locale, params: Mapping[str, object]) -> str:
    en, zh = MESSAGES[key]
    return (zh if locale == "zh-CN" else en).format(**params)
