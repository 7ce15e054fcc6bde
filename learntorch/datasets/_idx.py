"""Reading IDX files, the format MNIST and Fashion-MNIST are published in.

An IDX file is a tiny header followed by raw numbers, all big-endian::

    bytes 0-1   0x00 0x00
    byte  2     element type (0x08 unsigned byte, 0x09 signed byte, 0x0B int16,
                0x0C int32, 0x0D float32, 0x0E float64)
    byte  3     number of dimensions n
    then        n sizes, each a 4-byte big-endian unsigned integer
    then        prod(sizes) elements, row-major

So an MNIST image file starts with the magic number 0x00000803 (2051: unsigned
bytes, 3 dims: count x 28 x 28) and a label file with 0x00000801 (2049: bytes,
1 dim).  The parser is strict: a wrong magic number, an unexpected number of
dimensions or a file that is shorter (truncated download) or longer than its
header says raises ``IDXFormatError`` naming the file and what is wrong.
Files may be gzip-compressed (``.gz``) or raw.
"""
import gzip
import os
import zlib

import numpy as np

__all__ = ["IDXFormatError", "read_idx", "parse_idx", "write_idx"]

# element type code -> big-endian NumPy dtype
_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CODES = {np.dtype(v).newbyteorder("=").str: k for k, v in _TYPES.items()}


class IDXFormatError(ValueError):
    """An IDX file is corrupt, truncated or not the kind of file expected."""


def read_idx(path, ndim=None, dtype=None):
    """The array stored in IDX file ``path`` (gzip or raw), checked strictly.

    ``ndim`` / ``dtype``: what the caller expects (e.g. ``ndim=3, dtype=np.uint8``
    for an image file); anything else is an ``IDXFormatError``.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":  # gzip magic
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as e:
            raise IDXFormatError(f"{path}: the gzip data is corrupt or truncated ({e}). "
                                 f"Delete the file and download it again.") from None
    return parse_idx(raw, name=path, ndim=ndim, dtype=dtype)


def parse_idx(raw, name="<bytes>", ndim=None, dtype=None):
    """Parse the bytes of an (uncompressed) IDX file into a native-endian NumPy array."""
    if len(raw) < 4:
        raise IDXFormatError(f"{name}: too short to be an IDX file ({len(raw)} bytes; the header alone is 4+ bytes)")
    zero, code, n = raw[0:2], raw[2], raw[3]
    magic = int.from_bytes(raw[0:4], "big")
    if zero != b"\x00\x00" or code not in _TYPES:
        raise IDXFormatError(f"{name}: not an IDX file (bad magic number 0x{magic:08X}; an MNIST image file "
                             f"starts with 0x00000803 and a label file with 0x00000801)")
    want_dtype = np.dtype(_TYPES[code]).newbyteorder("=")
    if ndim is not None and n != ndim:
        raise IDXFormatError(f"{name}: expected an IDX file with {ndim} dimension(s) (magic 0x{0x800 + ndim:08X}), "
                             f"got {n} (magic 0x{magic:08X})")
    if dtype is not None and want_dtype != np.dtype(dtype):
        raise IDXFormatError(f"{name}: expected elements of type {np.dtype(dtype)}, the header says {want_dtype}")
    header = 4 + 4 * n
    if len(raw) < header:
        raise IDXFormatError(f"{name}: truncated header (needs {header} bytes for {n} dimensions, file has {len(raw)})")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n))
    itemsize = want_dtype.itemsize
    count = 1
    for s in shape:
        count *= s
    expected = header + count * itemsize
    if len(raw) < expected:
        raise IDXFormatError(f"{name}: truncated: the header announces shape {shape} ({count * itemsize} bytes of "
                             f"data) but only {len(raw) - header} bytes follow. Delete the file and download it again.")
    if len(raw) > expected:
        raise IDXFormatError(f"{name}: {len(raw) - expected} unexpected bytes after the {count * itemsize} bytes of "
                             f"data announced by the header (shape {shape})")
    arr = np.frombuffer(raw, dtype=_TYPES[code], count=count, offset=header).reshape(shape)
    return arr.astype(want_dtype)  # native byte order, a writable copy


def write_idx(path, array, compress=None):
    """Write ``array`` as an IDX file (gzip-compressed when ``path`` ends in .gz). Used by tests and tools."""
    array = np.asarray(array)
    code = _CODES.get(array.dtype.newbyteorder("=").str)
    if code is None:
        raise TypeError(f"IDX has no element type for {array.dtype}")
    data = bytes([0, 0, code, array.ndim])
    data += b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    data += np.ascontiguousarray(array, dtype=_TYPES[code]).tobytes()
    path = os.fspath(path)
    if compress if compress is not None else path.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)
    return path
