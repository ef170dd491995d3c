"""Upload cost: CPU time and peak memory of ``clean_image`` for each purpose, one child process per case.

Each case (a file) is cleaned for each purpose (avatar, customer photo, product picture) in a
fresh Python process, so the peak resident memory (``ru_maxrss``) belongs to that one upload.
Pillow allocates pixels with ``malloc``, outside Python's allocator, so ``tracemalloc`` only sees
the Python side (the raw bytes and the re-encoded copy); the RSS growth is the number that matters.

    .venv/bin/python bench/upload_bench.py
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PURPOSES = ("AVATAR", "CUSTOMER_PHOTO", "PRODUCT_MEDIA")


def flat_png(width: int, height: int, *, bit_depth: int = 8, colour_type: int = 2) -> bytes:
    """A valid PNG of one flat colour, written row by row: tiny on disk, huge once decoded."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\x00" + bytes(width * channels * bit_depth // 8)  # filter byte + zero samples
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def phone_photo() -> bytes:
    """A 4032×3024 JPEG (a 12 MP phone photo) with enough texture to weigh a few MB."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((4032, 3024))
    noise = Image.effect_noise((4032, 3024), 12)
    image = Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def large_jpeg(*, progressive: bool) -> bytes:
    """An 8000×5000 (40 MP) JPEG of one colour; a progressive one is decoded through whole-image buffers."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8000, 5000), (200, 120, 40)).save(out, format="JPEG", quality=85, progressive=progressive)
    return out.getvalue()


CASES = {
    "baseline: phone photo JPEG 4032×3024": phone_photo,
    "PNG 6300×6300 RGB (flat)": lambda: flat_png(6300, 6300),
    "PNG 6300×6300 RGBA 16-bit": lambda: flat_png(6300, 6300, bit_depth=16, colour_type=6),
    "PNG 2400×1800 RGBA 16-bit": lambda: flat_png(2400, 1800, bit_depth=16, colour_type=6),
    "PNG 6000×4000 RGB (largest accepted)": lambda: flat_png(6000, 4000),
    "PNG 3000×3000 grey 16-bit": lambda: flat_png(3000, 3000, bit_depth=16, colour_type=0),
    "JPEG 8000×5000 baseline (camera)": lambda: large_jpeg(progressive=False),
    "JPEG 8000×5000 progressive": lambda: large_jpeg(progressive=True),
}


def current_rss_kib() -> int:
    """Resident memory now (Linux ``/proc``); the peak so far where that is not available."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def child(path: str, purpose_name: str) -> None:
    """Clean one file for one purpose and print what it cost, as JSON."""
    from PIL import Image

    from fantasize.errors import AppError
    from fantasize.media import images

    Image.init()  # load every format plugin now, not inside the timed part
    raw = Path(path).read_bytes()
    purpose = getattr(images, purpose_name)
    rss_before = current_rss_kib()
    tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        image = images.clean_image(raw, max_bytes=5 * 1024 * 1024, field="file", purpose=purpose)
        outcome = f"stored {image.width}×{image.height} {image.format}, {len(image.data) / 1024:.0f} KB"
    except AppError as error:
        outcome = f"refused: {error.message}"
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    _, traced_peak = tracemalloc.get_traced_memory()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "outcome": outcome,
                "cpu_ms": cpu * 1000,
                "wall_ms": wall * 1000,
                "rss_growth_mb": max(0, rss_peak - rss_before) / 1024,
                "rss_peak_mb": rss_peak / 1024,
                "traced_peak_mb": traced_peak / 2**20,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("FILE", "PURPOSE"), help=argparse.SUPPRESS)
    parser.add_argument("--write-cases", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.write_cases:
        for number, make in enumerate(CASES.values()):
            (Path(args.write_cases) / str(number)).write_bytes(make())
        return

    print(f"Fantasize upload benchmark — Python {platform.python_version()}, one child process per line")
    print("RSS +MB: the child's peak resident memory (ru_maxrss) minus its resident memory just before clean_image")
    print("py MB: tracemalloc's peak (Python objects only; Pillow's pixel buffers are not traced)")
    header = f"{'file':<38} {'purpose':<15} {'size KB':>8} {'CPU ms':>8} {'RSS +MB':>8} {'py MB':>6}  outcome"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        # Written by a child: a process inherits its parent's peak RSS, so this one must stay small.
        subprocess.run([sys.executable, __file__, "--write-cases", tmp], check=True)
        for number, name in enumerate(CASES):
            path = Path(tmp) / str(number)
            data = path.read_bytes()
            for purpose in PURPOSES:
                result = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), purpose],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                row = json.loads(result.stdout.strip().splitlines()[-1])
                print(
                    f"{name:<38} {purpose.lower():<15} {len(data) / 1024:>8.0f} {row['cpu_ms']:>8.1f} "
                    f"{row['rss_growth_mb']:>8.1f} {row['traced_peak_mb']:>6.1f}  {row['outcome']}"
                )


if __name__ == "__main__":
    main()
