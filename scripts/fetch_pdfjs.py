"""Fetch the pinned pdf.js (npm package ``pdfjs-dist``) into the package's static resources.

pdf.js is not committed: it is ~3 MB of minified third-party code that changes with every release.
``make install`` runs this script; it asks npm (the ordinary client) for the pinned tarball, checks
its sha512 against the pin below (npm checks it against the registry too) and copies only what the
document preview needs, with the licence files, into ``src/dongthap/qlvb/browser/static/pdfjs/``
(ignored by git). Nothing is done when that version is already there.

The ES modules (``*.mjs``) are stored as ``*.js`` so that every web server serves them with a
JavaScript type (browsers refuse a module script of another type under ``nosniff``).
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

VERSION = "6.5.438"
INTEGRITY = "sha512-vg8Pw1x+AFKy4AMDvhuWl5cOYV8d698UoEANoFFhc79hqXDnZQqnOXoxw3HG907WHOg1JYOvLhP756boddFxpA=="
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "src", "dongthap", "qlvb", "browser", "static", "pdfjs")
STAMP = "VERSION"

#: tarball path → path under TARGET (the legacy build also runs on older phone browsers)
FILES = {
    "package/LICENSE": "LICENSE",
    "package/legacy/build/pdf.min.mjs": "pdf.min.js",
    "package/legacy/build/pdf.worker.min.mjs": "pdf.worker.min.js",
}
#: folders copied whole (fonts a PDF names without embedding them; image decoders)
FOLDERS = {"package/standard_fonts/": "standard_fonts/", "package/wasm/": "wasm/"}
SKIP = ("quickjs",)  # PDF JavaScript is never run


def installed():
    try:
        with open(os.path.join(TARGET, STAMP)) as f:
            return f.read().strip() == VERSION
    except OSError:
        return False


def check(path):
    algorithm, expected = INTEGRITY.split("-", 1)
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    if base64.b64encode(digest.digest()).decode() != expected:
        sys.exit(f"pdfjs-dist {VERSION}: the tarball does not match the pinned {algorithm}")


def extract(tarball):
    if os.path.isdir(TARGET):
        shutil.rmtree(TARGET)
    os.makedirs(TARGET)
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or any(s in member.name for s in SKIP):
                continue
            dest = FILES.get(member.name)
            for prefix, folder in FOLDERS.items():
                if member.name.startswith(prefix) and "/" not in member.name[len(prefix):]:
                    dest = folder + member.name[len(prefix):]
            if dest is None:
                continue
            path = os.path.join(TARGET, dest)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with tar.extractfile(member) as src, open(path, "wb") as out:
                shutil.copyfileobj(src, out)
    with open(os.path.join(TARGET, STAMP), "w") as f:
        f.write(VERSION + "\n")


def main():
    if installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to fetch pdf.js (the document preview): apt-get install npm")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", f"pdfjs-dist@{VERSION}", "--silent", "--pack-destination", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        tarball = os.path.join(tmp, f"pdfjs-dist-{VERSION}.tgz")
        check(tarball)
        extract(tarball)
    print(f"pdf.js {VERSION} installed in {os.path.relpath(TARGET)}")


if __name__ == "__main__":
    main()
