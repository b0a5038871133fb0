"""Build a minimal Python 2.7 OCI image archive from Debian bullseye's packages, no Docker.

CodaLab v1.5 bundles (``codalab/codalab-legacy:py2``, the old default image) run Python 2
programs (``print "..."``); the platform's ``oci`` runtime runs them when given an image
holding ``python`` 2.7. This script assembles one from downloaded ``.deb`` files only:

1. read bullseye's ``Packages`` index (``--packages``: a local ``Packages.xz`` or the URL);
2. resolve ``python2.7-minimal``, ``libpython2.7-stdlib`` and ``dash`` (``/bin/sh``: the
   platform runs commands with ``/bin/sh -c``) with their ``Depends``/``Pre-Depends``,
   taking the first alternative and leaving out :data:`SKIPPED` (tools only the packages'
   maintainer scripts run);
3. download each ``.deb`` from the pool (checked against the index's SHA256) and unpack it
   with ``dpkg-deb -x`` into one root folder; no maintainer script runs, so the links those
   would make are made here: ``/bin/sh`` → dash, ``python`` and ``python2`` → python2.7;
4. check every ELF file's ``DT_NEEDED`` libraries are in the root (``readelf`` when present);
5. pack the root as one gzip layer (owner root, files sorted, mtimes clamped to the
   index's date, so the same packages give the same archive) in an OCI image layout, tar'd.

Usage (nothing here needs root; the archive and the .debs go under ignored ``var/``)::

    python docker/images/python27_image.py --output var/images/python27.tar
    curl -F archive=@var/images/python27.tar -H "Authorization: Bearer $TOKEN" \\
        http://localhost:8000/api/v1/runtime-images      # answers {"digest": "sha256:..."}

then map the image name to it: ``JIEBANG_CODABENCH_IMAGE_RUNTIMES='{"codalab/codalab-legacy:py2":
{"kind": "oci", "archive_digest": "sha256:..."}, ...}'`` (docs/bundles.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

MIRROR = "http://deb.debian.org/debian"
PACKAGES_URL = f"{MIRROR}/dists/bullseye/main/binary-amd64/Packages.xz"
ROOTS = ("python2.7-minimal", "libpython2.7-minimal", "libpython2.7-stdlib", "dash")
# Only maintainer scripts (postinst, debconf prompts) use these; python2.7 and sh never do.
SKIPPED = frozenset({"debconf", "debconf-2.0", "dpkg", "perl", "perl-base", "debianutils"})
LINKS = {
    "bin/sh": "dash",
    "usr/bin/python": "python2.7",
    "usr/bin/python2": "python2.7",
}
EMPTY_DIRS = ("tmp", "proc", "dev", "sys", "root")  # never /app: the runs mount there
ENV = (
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG=C.UTF-8",
)
EPOCH = 1_600_000_000  # the layer's mtimes are clamped to this (bullseye's era): reproducible


def read_index(source: str) -> dict[str, dict[str, str]]:
    """The ``Packages`` index as ``{name: {field: value}}`` (``source``: a path or URL)."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=120) as response:  # noqa: S310
            raw = response.read()
    else:
        raw = Path(source).read_bytes()
    text = lzma.decompress(raw).decode() if raw[:6] == b"\xfd7zXZ\x00" else raw.decode()
    index: dict[str, dict[str, str]] = {}
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        last = ""
        for line in stanza.splitlines():
            if line.startswith((" ", "\t")) and last:
                fields[last] += "\n" + line.strip()
                continue
            last, _, value = line.partition(":")
            fields[last] = value.strip()
        if "Package" in fields:
            index.setdefault(fields["Package"], fields)
    return index


def dependencies(fields: dict[str, str]) -> list[str]:
    """The package names a stanza depends on (first alternative, versions and arch dropped)."""
    names = []
    for key in ("Pre-Depends", "Depends"):
        for clause in filter(None, (c.strip() for c in fields.get(key, "").split(","))):
            first = clause.split("|")[0].strip()
            names.append(first.split()[0].split(":")[0])
    return names


def resolve(index: dict[str, dict[str, str]], roots: tuple[str, ...]) -> list[str]:
    """Every package ``roots`` need, in a stable order; raises when one is not indexed."""
    provided = {
        name.strip().split()[0]: pkg
        for pkg, fields in index.items()
        for name in fields.get("Provides", "").split(",")
        if name.strip()
    }
    wanted, todo = [], list(roots)
    while todo:
        name = todo.pop(0)
        if name in SKIPPED or name in wanted:
            continue
        if name not in index:
            if name not in provided:
                raise SystemExit(f"{name} is not in the Packages index")
            name = provided[name]
            if name in SKIPPED or name in wanted:
                continue
        wanted.append(name)
        todo += dependencies(index[name])
    return sorted(wanted)


def download(fields: dict[str, str], mirror: str, cache: Path) -> Path:
    """The package's .deb in ``cache`` (downloaded once), its SHA256 checked."""
    cache.mkdir(parents=True, exist_ok=True)
    deb = cache / Path(fields["Filename"]).name
    if not deb.is_file() or hashlib.sha256(deb.read_bytes()).hexdigest() != fields["SHA256"]:
        url = f"{mirror}/{fields['Filename']}"
        with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310
            data = response.read()
        if hashlib.sha256(data).hexdigest() != fields["SHA256"]:
            raise SystemExit(f"{url}: the SHA256 is not the index's")
        deb.write_bytes(data)
    return deb


def assemble(debs: list[Path], rootfs: Path) -> None:
    """Unpack the .debs into ``rootfs`` and make the links their scripts would have made."""
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(rootfs)], check=True)
    for rel, target in LINKS.items():
        link = rootfs / rel
        if not os.path.lexists(link):
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target)
    for rel in EMPTY_DIRS:
        (rootfs / rel).mkdir(exist_ok=True)
    (rootfs / "tmp").chmod(0o1777)
    etc = rootfs / "etc"
    etc.mkdir(exist_ok=True)
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (etc / "group").write_text("root:x:0:\n")
    (etc / "hosts").write_text("127.0.0.1 localhost\n")


def missing_libraries(rootfs: Path) -> list[str]:
    """``file: library`` for every ELF ``DT_NEEDED`` entry found nowhere in the root's lib
    folders (empty where ``readelf`` is not installed: the caller says so)."""
    if shutil.which("readelf") is None:
        return []
    present = {
        p.name
        for top in ("lib", "usr/lib", "lib64")
        if (rootfs / top).is_dir()
        for p in (rootfs / top).rglob("*")
    }
    missing = []
    for path in sorted(rootfs.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        done = subprocess.run(
            ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
        )
        for line in done.stdout.splitlines():
            if "(NEEDED)" in line:
                lib = line.split("[", 1)[1].rstrip("]")
                if lib not in present:
                    missing.append(f"/{path.relative_to(rootfs)}: {lib}")
    return missing


def layer(rootfs: Path) -> bytes:
    """The root folder as one uncompressed tar: sorted, owned by root, mtimes clamped."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [rootfs, *sorted(rootfs.rglob("*"))]:
            rel = path.relative_to(rootfs).as_posix()
            info = tar.gettarinfo(str(path), arcname="./" if rel == "." else f"./{rel}")
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = min(int(info.mtime), EPOCH)
            if info.isreg():
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    return buffer.getvalue()


def oci_archive(plain_layer: bytes, output: Path) -> str:
    """Write the OCI image layout tar at ``output``; return its ``sha256:`` digest."""
    blobs: dict[str, bytes] = {}

    def blob(data: bytes) -> dict[str, object]:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        blobs[digest] = data
        return {"digest": digest, "size": len(data)}

    compressed = gzip.compress(plain_layer, mtime=0)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": list(ENV), "Cmd": ["python"], "WorkingDir": "/"},
        "rootfs": {
            "type": "layers",
            "diff_ids": ["sha256:" + hashlib.sha256(plain_layer).hexdigest()],
        },
    }
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            **blob(json.dumps(config, sort_keys=True).encode()),
        },
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(compressed)}
        ],
    }
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                **blob(json.dumps(manifest, sort_keys=True).encode()),
                "annotations": {"org.opencontainers.image.ref.name": "py27"},
            }
        ],
    }
    files = {
        "oci-layout": json.dumps({"imageLayoutVersion": "1.0.0"}).encode(),
        "index.json": json.dumps(index, sort_keys=True).encode(),
        **{f"blobs/sha256/{d.removeprefix('sha256:')}": data for d, data in blobs.items()},
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(output, "w") as outer:
        for name in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
            outer.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, EPOCH
            outer.addfile(info, io.BytesIO(data))
    return "sha256:" + hashlib.sha256(output.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", default=PACKAGES_URL, help="Packages(.xz) path or URL")
    parser.add_argument("--mirror", default=MIRROR, help="Debian mirror holding pool/")
    parser.add_argument("--debs", type=Path, default=Path("var/images/debs"), help=".deb cache")
    parser.add_argument("--output", type=Path, default=Path("var/images/python27.tar"))
    parser.add_argument("--rootfs", type=Path, help="also keep the root folder here")
    args = parser.parse_args(argv)
    index = read_index(args.packages)
    names = resolve(index, ROOTS)
    print("packages: " + ", ".join(f"{n} {index[n]['Version']}" for n in names))
    debs = [download(index[name], args.mirror, args.debs) for name in names]
    with tempfile.TemporaryDirectory(prefix="jiebang-py27-") as work:
        rootfs = Path(work) / "rootfs"
        rootfs.mkdir()
        assemble(debs, rootfs)
        missing = missing_libraries(rootfs)
        if missing:
            raise SystemExit("libraries missing from the image:\n" + "\n".join(missing))
        if shutil.which("readelf") is None:
            print("readelf not installed: the libraries were not checked", file=sys.stderr)
        digest = oci_archive(layer(rootfs), args.output)
        if args.rootfs is not None:
            shutil.rmtree(args.rootfs, ignore_errors=True)
            shutil.copytree(rootfs, args.rootfs, symlinks=True)
    print(f"{args.output}: {digest} ({args.output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
